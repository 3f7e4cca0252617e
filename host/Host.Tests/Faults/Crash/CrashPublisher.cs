using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using Device.Protocol;
using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// A persistent-session publisher that keeps one message in flight at a time and survives broker kills: after each
    /// reconnect (CleanSession 0) it resends what was not acknowledged ([MQTT-4.4.0-1]: PUBLISH with DUP, or PUBREL
    /// once PUBREC came). It records every payload the broker acknowledged (PUBACK at QoS 1, PUBREC at QoS 2).
    /// </summary>
    public sealed class CrashPublisher : IDisposable
    {
        private const int None = 0;
        private const int NeedPublish = 1;
        private const int NeedPubrel = 2;

        private readonly string _clientId;
        private readonly byte _qos;
        private RawMqtt _conn;
        private int _next = 1;
        private int _stage = None;
        private int _n;
        private bool _dup;

        public CrashPublisher(string clientId, byte qos)
        {
            _clientId = clientId;
            _qos = qos;
        }

        public readonly HashSet<string> Acknowledged = new HashSet<string>();
        public readonly HashSet<string> Sent = new HashSet<string>();

        public string Topic { get { return "c/q" + _qos; } }

        private ushort PacketId { get { return (ushort)(_n % 65535 + 1); } }

        private string Payload { get { return _qos + "-" + _n; } }

        /// <summary>One step of the flow (connecting first if needed); false when the broker went away under it.</summary>
        public bool TryStep(int port)
        {
            try
            {
                if (_conn == null)
                {
                    _conn = new RawMqtt(port, _clientId, false, 5000);
                }

                Step();
                return true;
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                Drop();
                return false;
            }
        }

        private void Step()
        {
            if (_stage == None)
            {
                _n = _next++;
                _stage = NeedPublish;
                _dup = false;
            }

            if (_stage == NeedPublish)
            {
                Sent.Add(Payload);
                _conn.Send(TestPackets.Publish(Topic, Payload, _qos, PacketId, false, _dup));
                _dup = true;
                byte[] ack = _conn.Read(out byte type);
                byte expected = _qos == 1 ? PacketType.Puback : PacketType.Pubrec;
                if (type != expected || RawMqtt.Id(ack) != PacketId)
                {
                    throw new InvalidOperationException(_clientId + ": expected ack " + expected + " for " + PacketId + ", got " + type);
                }

                Acknowledged.Add(Payload);
                _stage = _qos == 1 ? None : NeedPubrel;
                return;
            }

            _conn.Send(TestPackets.Ack(PacketType.Pubrel, PacketId));
            byte[] comp = _conn.Read(out byte t);
            if (t != PacketType.Pubcomp || RawMqtt.Id(comp) != PacketId)
            {
                throw new InvalidOperationException(_clientId + ": expected PUBCOMP for " + PacketId + ", got " + t);
            }

            _stage = None;
        }

        public void Drop()
        {
            _conn?.Dispose();
            _conn = null;
        }

        public void Dispose()
        {
            Drop();
        }
    }
}
