using System;
using System.Collections.Generic;
using System.Text;
using Device.Broker;
using Device.Net;
using Device.Protocol;

namespace Host.Tests
{
    /// <summary>
    /// One bridge with `conflate` in memory, with nothing between the tests and the bytes: our engine (Device profile),
    /// a local publisher on it speaking hand-built MQTT 3.1.1, the Bridge, and the test playing the upstream broker at
    /// the bridge's remote client (CONNACK, PUBACK, PUBREC and PUBCOMP; a slow upstream is one whose bytes are not
    /// taken). Topics: sensors/# out 1 (sensors/+/temp conflated), other/# out 0, q2/# out 2.
    /// </summary>
    public sealed class ConflateRig
    {
        private readonly BrokerEngine _engine;
        private readonly int _publisher;
        private readonly FixedHeader _header = new FixedHeader();
        private readonly PublishView _view = new PublishView();
        private readonly byte[] _publish = new byte[256];
        private readonly byte[] _ack = new byte[4];
        private long _now = 1;
        private ushort _nextId = 1;

        public ConflateRig(int slots = 16, int slotBytes = 128, BridgeStart start = BridgeStart.Automatic)
        {
            _engine = new BrokerEngine(BrokerOptions.Device());
            BridgeOptions o = new BridgeOptions { Name = "up", Notifications = false, Start = start };
            o.AddAddress("127.0.0.1", 1883);
            o.AddTopic(new BridgeTopic("sensors/#", BridgeDirection.Out, 1, "", "gw/"));
            o.AddTopic(new BridgeTopic("other/#", BridgeDirection.Out, 0, "", "gw/"));
            o.AddTopic(new BridgeTopic("q2/#", BridgeDirection.Out, 2, "", "gw/"));
            Assert(o.AddConflate("sensors/+/temp") == null, "conflate pattern");
            o.ConflateSlots = slots;
            o.ConflateSlotBytes = slotBytes;
            Bridge = new Bridge(o, _engine);
            Bridge.Log = Lines;
            Bridge.Start(_now);
            _publisher = _engine.Accept(_now);
            byte[] id = Encoding.ASCII.GetBytes("publisher");
            byte[] connect = new byte[14 + id.Length];
            byte[] header = { 0x10, (byte)(12 + id.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0x0E, 0x10, 0, (byte)id.Length };
            Array.Copy(header, connect, header.Length);
            Array.Copy(id, 0, connect, 14, id.Length);
            ToEngine(connect, connect.Length);
            Assert(_engine.IsConnected(_publisher), "publisher connected");
            DrainPublisher();
            Service();
        }

        public Bridge Bridge { get; }

        /// <summary>The bridge's log lines.</summary>
        public readonly LineLog Lines = new LineLog();

        public ConflateTable Table { get { return Bridge.Conflation; } }

        /// <summary>What the upstream got, in order.</summary>
        public readonly List<(string Topic, string Payload, byte Qos, bool Retain)> Upstream = new List<(string, string, byte, bool)>();

        /// <summary>PUBLISH messages the upstream got (counted without keeping them: the allocation test's loop).</summary>
        public int UpstreamCount;

        /// <summary>Whether Upstream keeps every message (off while allocations are measured).</summary>
        public bool Record = true;

        /// <summary>The local publisher publishes one message (and takes its PUBACK, the engine's answer).</summary>
        public void Publish(string topic, string payload, byte qos = 0, bool retain = false)
        {
            int n = Encode(topic, payload, qos, retain);
            ToEngine(_publish, n);
            DrainPublisher();
            Service();
        }

        /// <summary>As Publish with bytes already encoded (the allocation loop: no string work).</summary>
        public int Encode(string topic, string payload, byte qos, bool retain)
        {
            int t = Encoding.ASCII.GetBytes(topic, 0, topic.Length, _publish, 4);
            int at = 4 + t;
            _publish[2] = 0;
            _publish[3] = (byte)t;
            if (qos > 0)
            {
                _publish[at++] = (byte)(_nextId >> 8);
                _publish[at++] = (byte)_nextId;
                _nextId = (ushort)(_nextId % 60000 + 1);
            }

            at += Encoding.ASCII.GetBytes(payload, 0, payload.Length, _publish, at);
            _publish[0] = (byte)(0x30 | (qos << 1) | (retain ? 1 : 0));
            _publish[1] = (byte)(at - 2);
            return at;
        }

        /// <summary>
        /// Sends the PUBLISH the last Encode built with one byte changed (the allocation loop: no string work). At QoS 1
        /// and 2 the packet id stays the same: the engine's PUBACK (or, after the PUBREL sent here, PUBCOMP) has freed
        /// it before the next one.
        /// </summary>
        public void PublishPatched(int index, byte value, int length)
        {
            _publish[index] = value;
            ToEngine(_publish, length);
            DrainPublisher();
            if ((_publish[0] & 0x06) == 0x04)
            {
                _release[0] = 0x62;
                _release[1] = 2;
                _release[2] = _publish[4 + _publish[3]];
                _release[3] = _publish[5 + _publish[3]];
                ToEngine(_release, 4);
                DrainPublisher();
            }

            Service();
        }

        private readonly byte[] _release = new byte[4];

        /// <summary>The link to the upstream opens and it accepts (CONNACK 0, session present 0).</summary>
        public void UpstreamAccepts()
        {
            Bridge.RemoteOpened(_now);
            Device.Client.MqttClient remote = Bridge.Remote;
            Assert(remote.TransmitCount > 0 && remote.TransmitBuffer[0] == 0x10, "CONNECT sent");
            remote.Sent(remote.TransmitCount);
            Feed(new byte[] { 0x20, 0x02, 0x00, 0x00 });
            Service();
        }

        public void UpstreamLost()
        {
            Bridge.RemoteLost(_now);
            Service();
        }

        /// <summary>The upstream takes every byte the bridge has for it and answers each QoS 1/2 PUBLISH and PUBREL; until nothing moves.</summary>
        public void UpstreamReads()
        {
            for (int round = 0; round < 10000; round++)
            {
                Device.Client.MqttClient remote = Bridge.Remote;
                int n = remote.TransmitCount;
                if (n == 0)
                {
                    Service();
                    if (remote.TransmitCount == 0)
                    {
                        return;
                    }

                    continue;
                }

                byte[] tx = remote.TransmitBuffer;
                int pos = 0;
                while (pos < n)
                {
                    Assert(Framing.ReadHeader(tx, pos, n - pos, 0, _header) == DecodeResult.Ok && _header.TotalLength <= n - pos, "whole packets");
                    if (_header.Type == PacketType.Publish)
                    {
                        PublishPacket.Decode(tx, pos, _header, _view);
                        UpstreamCount++;
                        if (Record)
                        {
                            Upstream.Add((Encoding.UTF8.GetString(tx, _view.TopicOffset, _view.TopicLength),
                                Encoding.UTF8.GetString(tx, _view.PayloadOffset, _view.PayloadLength), _view.Qos, _view.Retain));
                        }

                        if (_view.Qos > 0)
                        {
                            _ackTypes[_ackCount] = _view.Qos == 1 ? PacketType.Puback : PacketType.Pubrec;
                            _acks[_ackCount++] = _view.PacketId;
                        }
                    }
                    else if (_header.Type == PacketType.Pubrel)
                    {
                        _ackTypes[_ackCount] = PacketType.Pubcomp;
                        _acks[_ackCount++] = (ushort)((tx[pos + 2] << 8) | tx[pos + 3]);
                    }

                    pos += _header.TotalLength;
                }

                remote.Sent(n);
                for (int i = 0; i < _ackCount; i++)
                {
                    AckPacket.Encode(_ack, 0, 4, _ackTypes[i], _acks[i]);
                    Feed(_ack);
                }

                _ackCount = 0;
                Service();
            }

            throw new InvalidOperationException("the bridge kept sending");
        }

        private readonly ushort[] _acks = new ushort[1024];
        private readonly byte[] _ackTypes = new byte[1024];
        private int _ackCount;

        public void Service()
        {
            for (int i = 0; i < 100 && Bridge.Service(++_now); i++)
            {
            }
        }

        private void Feed(byte[] bytes)
        {
            Device.Client.MqttClient remote = Bridge.Remote;
            Array.Copy(bytes, 0, remote.ReceiveBuffer, remote.ReceiveCount, bytes.Length);
            Bridge.RemoteReceived(bytes.Length, _now);
        }

        private void ToEngine(byte[] bytes, int count)
        {
            byte[] rx = _engine.ReceiveBuffer(_publisher, out int at, out int free);
            Assert(free >= count, "engine room for the publish");
            Array.Copy(bytes, 0, rx, at, count);
            _engine.Received(_publisher, count, _now);
        }

        private void DrainPublisher()
        {
            while (true)
            {
                int n = _engine.PendingOutput(_publisher, out byte[] _, out int _);
                if (n == 0)
                {
                    return;
                }

                _engine.Sent(_publisher, n);
            }
        }

        private static void Assert(bool ok, string what)
        {
            if (!ok)
            {
                throw new InvalidOperationException(what);
            }
        }
    }
}
