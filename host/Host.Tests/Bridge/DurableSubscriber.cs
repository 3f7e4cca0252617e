using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System;
using Device.Protocol;
using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// The upstream subscriber of the kill tests: a persistent session (CleanSession 0) subscribed to q1/# at QoS 1 and
    /// q2/# at QoS 2, on a thread of its own, that reconnects by itself whenever its upstream dies and comes back. It is
    /// a QoS 2 receiver as the spec asks, across connections too: an id it answered with PUBREC stays in its session
    /// until the PUBREL comes, and a PUBLISH resent under that id is answered again but not delivered again
    /// ([MQTT-4.3.3-2]); a CONNACK with session present 0 discards that state ([MQTT-3.2.2-4]) and subscribes again.
    /// MQTTnet keeps no such state across a new connection, so a restarted upstream's resend would look like a
    /// duplicate of the bridge's making. Every delivered message goes to <see cref="Got"/>.
    /// </summary>
    internal sealed class DurableSubscriber : IDisposable
    {
        private readonly int _port;
        private readonly Thread _thread;
        private readonly HashSet<ushort> _awaitingRelease = new HashSet<ushort>();
        private readonly object _gate = new object();
        private readonly BridgeOutageTests.Received _got = new BridgeOutageTests.Received();
        private volatile bool _stop;
        private RawMqtt _current;
        private int _connections;
        private int _sessionsLost;
        private volatile string _state = "starting";

        public DurableSubscriber(int port)
        {
            _port = port;
            _thread = new Thread(Run) { IsBackground = true, Name = "durable subscriber" };
            _thread.Start();
        }

        /// <summary>Distinct messages delivered so far (both QoS).</summary>
        public int Distinct
        {
            get
            {
                lock (_gate)
                {
                    return _got.Seen1.Count + _got.Seen2.Count;
                }
            }
        }

        /// <summary>The highest numbers seen on both topics (Received.Reach): the burst's progress, losses or not.</summary>
        public int Reach
        {
            get
            {
                lock (_gate)
                {
                    return _got.Reach;
                }
            }
        }

        /// <summary>Distinct messages of q1/seq and of q2/seq delivered so far (markers not counted: markers is Received.MarkerTopics).</summary>
        public void Counts(out int qos1, out int qos2, out int markers)
        {
            lock (_gate)
            {
                qos1 = _got.Seen1.Count;
                qos2 = _got.Seen2.Count;
                markers = _got.MarkerTopics;
            }
        }

        /// <summary>Connections accepted by the upstream so far.</summary>
        public int Connections { get { return Volatile.Read(ref _connections); } }

        /// <summary>Reconnects after the first that found no session on the upstream (it lost the subscriber).</summary>
        public int SessionsLost { get { return Volatile.Read(ref _sessionsLost); } }

        /// <summary>What was delivered; read it once the thread is stopped (Dispose) or under its own counts.</summary>
        public BridgeOutageTests.Received Got { get { return _got; } }

        public override string ToString()
        {
            lock (_gate)
            {
                return _got + "; subscriber connections " + Connections + ", sessions lost " + SessionsLost + ", now " + _state;
            }
        }

        private void Run()
        {
            while (!_stop)
            {
                RawMqtt c;
                try
                {
                    _state = "connecting";
                    c = new RawMqtt(_port, "up-durable", false, 0);
                }
                catch (Exception e) when (e is SocketException || e is IOException)
                {
                    _state = "connect failed: " + e.Message;
                    // The upstream is down or still starting: the next try is a moment later.
                    Thread.Sleep(20);
                    continue;
                }

                lock (_gate)
                {
                    _current = c;
                    if (_stop)
                    {
                        c.Dispose();
                        return;
                    }
                }

                try
                {
                    Serve(c);
                }
                catch (Exception e) when (e is SocketException || e is IOException || e is ObjectDisposedException)
                {
                    // Killed upstream (or Dispose): reconnect unless stopping.
                    _state = "connection lost: " + e.Message;
                }
                finally
                {
                    c.Dispose();
                }
            }
        }

        private void Serve(RawMqtt c)
        {
            int n = Interlocked.Increment(ref _connections);
            _state = "connected (session present " + c.SessionPresent + ")";
            if (!c.SessionPresent)
            {
                if (n > 1)
                {
                    Interlocked.Increment(ref _sessionsLost);
                }

                _awaitingRelease.Clear();
                c.Send(TestPackets.Subscribe(1, "q1/#", 1));
                c.Send(TestPackets.Subscribe(2, "q2/#", 2));
            }

            while (!_stop)
            {
                byte[] body = c.Read(out byte type, out byte flags);
                if (type == PacketType.Publish)
                {
                    RawMqtt.Publish(body, flags, out string topic, out string payload, out ushort id);
                    int qos = (flags >> 1) & 3;
                    if (qos == 2)
                    {
                        // Delivered once per id until its PUBREL: a resend under a held id is the same message.
                        if (_awaitingRelease.Add(id))
                        {
                            Deliver(topic, payload);
                        }

                        c.Send(TestPackets.Ack(PacketType.Pubrec, id));
                    }
                    else
                    {
                        Deliver(topic, payload);
                        if (qos == 1)
                        {
                            c.Send(TestPackets.Ack(PacketType.Puback, id));
                        }
                    }
                }
                else if (type == PacketType.Pubrel)
                {
                    ushort id = RawMqtt.Id(body);
                    _awaitingRelease.Remove(id);
                    c.Send(TestPackets.Ack(PacketType.Pubcomp, id));
                }
            }
        }

        private void Deliver(string topic, string payload)
        {
            lock (_gate)
            {
                _got.Add(topic, int.Parse(payload));
            }
        }

        public void Dispose()
        {
            _stop = true;
            lock (_gate)
            {
                _current?.Dispose();
            }

            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }
}
