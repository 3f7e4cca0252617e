using System.Collections.Generic;
using System.Linq;
using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// A subscriber with a persistent session is killed again and again (no DISCONNECT: bytes in flight both ways
    /// are lost, its unsent acks too) while a publisher sends QoS 1 and QoS 2 messages. Every message the broker
    /// _acknowledged must reach the subscriber: QoS 1 at least once, QoS 2 exactly once. The subscriber keeps what
    /// a client must keep across _reconnects (the QoS 2 ids it received and not yet released, [MQTT-4.1.0-1]); the
    /// broker does the rest (queueing while it is away, resending with DUP, resending PUBREL).
    /// </summary>
    public class PersistentSessionFaultTests
    {
        private const int Messages = 3000;
        private const int Seed = 424242;

        private readonly ITestOutputHelper _output;
        private readonly Random _rng = new Random(Seed);
        private FakeNet _net;

        // Subscriber state that survives a kill, as a client's persistent session state does.
        private readonly HashSet<ushort> _qos2Held = new HashSet<ushort>();
        private readonly int[] _delivered = new int[Messages];
        private FakeClient _sub;
        private readonly List<byte[]> _subReplies = new List<byte[]>();
        private int _kills;
        private int _reconnects;
        private int _dupsSeen;
        private int _bytesLostInFlight;

        // Publisher state.
        private FakeClient _pub;
        private readonly bool[] _acknowledged = new bool[Messages];
        private readonly Dictionary<ushort, int> _pubOutstanding = new Dictionary<ushort, int>();

        public PersistentSessionFaultTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <param name="keepsUp">
        /// True: on average the subscriber keeps up, so nothing may be dropped and every _acknowledged message must
        /// arrive. False: it reads and acknowledges too slowly: while it is connected the publisher is held back
        /// (back-pressure, nothing dropped), while it is away its queue overflows, and every _acknowledged message
        /// must be either _delivered or counted as dropped (newest refused), never silently lost or doubled.
        /// </param>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Every_acknowledged_message_arrives_or_is_counted_and_qos2_exactly_once_across_kills(bool keepsUp)
        {
            BrokerOptions o = BrokerOptions.Device();
            // Room for what piles up while the subscriber is away (up to 8 publishes) or reads slowly, whatever
            // the Device profile's own queue depth is: this test is about _kills, SlowConsumerTests about overflow.
            o.InflightPerSession = 4;
            o.MaxQueuedMessages = 32;
            o.PoolBytes = 16384;
            _net = new FakeNet(o);
            _pub = _net.Connect("publisher", true);
            StartSubscriber(false);
            _sub.Send(TestPackets.Subscribe(1, "seq/#", 2));
            Read(int.MaxValue);

            int down = 0;
            for (int i = 0; i < Messages; i++)
            {
                Publish(i);
                if (_sub == null)
                {
                    if (--down <= 0)
                    {
                        StartSubscriber(true);
                    }

                    continue;
                }

                // Partial reads leave packets half-received; replies are sent late or never.
                int fullRead = keepsUp ? 4 : 2;
                Read(_rng.Next(fullRead) != 0 ? int.MaxValue : _rng.Next(1, 120));
                if (keepsUp ? _rng.Next(4) != 0 : _rng.Next(3) == 0)
                {
                    FlushReplies();
                }

                if (_rng.Next(100) < 6)
                {
                    Kill();
                    down = _rng.Next(1, 9);
                }
            }

            if (_sub == null)
            {
                StartSubscriber(true);
            }

            int session = _net.Engine.SessionOf(_sub.Handle);
            for (int round = 0; round < 1000 && (_net.Engine.InflightFor(session) > 0 || _net.Engine.QueuedFor(session) > 0 || _subReplies.Count > 0
                || _pub.Unsent > 0 || _net.Engine.HeldPublishers > 0 || _pub.Unread > 0); round++)
            {
                Read(int.MaxValue);
                FlushReplies();
                ReadPublisherAcks();
            }

            Counters c = _net.Engine.Counters;
            int qos1Acked = Enumerable.Range(0, Messages).Count(i => _acknowledged[i] && Qos(i) == 1);
            int qos2Acked = Enumerable.Range(0, Messages).Count(i => _acknowledged[i] && Qos(i) == 2);
            int qos1Dups = Enumerable.Range(0, Messages).Where(i => Qos(i) == 1).Sum(i => Math.Max(0, _delivered[i] - 1));
            _output.WriteLine((keepsUp ? "keeps up: " : "too slow: ") + "published " + Messages + " (QoS 1 " + Messages / 2 + ", QoS 2 " + Messages / 2 + "), _acknowledged " + qos1Acked + "+" + qos2Acked
                + "; subscriber killed " + _kills + " times, reconnected " + _reconnects + " (session present each time), " + _bytesLostInFlight
                + " bytes lost in flight; _delivered " + _delivered.Sum() + " (QoS 1 duplicates " + qos1Dups + ", QoS 2 duplicates "
                + Enumerable.Range(0, Messages).Where(i => Qos(i) == 2).Sum(i => Math.Max(0, _delivered[i] - 1)) + "), DUP resends seen "
                + _dupsSeen + ", dropped by the broker " + c.MessagesDropped + " (offline queue full " + c.DroppedQueueFull + ", pool full " + c.DroppedPoolFull
                + "), publisher held " + c.PublishesHeld + " times");

            Assert.Equal(Messages, qos1Acked + qos2Acked);
            int unique = _delivered.Count(d => d > 0);
            if (keepsUp)
            {
                Assert.Equal(0, c.MessagesDropped);
            }
            else
            {
                Assert.True(c.PublishesHeld > 10, "the slow variant must hold the publisher back");
                Assert.Equal(c.MessagesDropped, c.DroppedQueueFull);
            }

            // Nothing vanishes unaccounted: each _acknowledged message was _delivered or counted as dropped.
            Assert.Equal(Messages, unique + (int)c.MessagesDropped);
            Assert.Equal(0, _net.Engine.InflightFor(session) + _net.Engine.QueuedFor(session));
            for (int i = 0; i < Messages; i++)
            {
                if (keepsUp)
                {
                    Assert.True(_delivered[i] >= 1, "message " + i + " _acknowledged but never _delivered");
                }

                if (Qos(i) == 2)
                {
                    Assert.True(_delivered[i] <= 1, "QoS 2 message " + i + " _delivered " + _delivered[i] + " times");
                }
            }

            Assert.True(_kills >= 100 && _dupsSeen > 0, "the run must really kill mid-flow (" + _kills + " _kills, " + _dupsSeen + " resends)");
            Assert.Equal(0, c.StoredMessages);
        }

        private static byte Qos(int i)
        {
            return (byte)(i % 2 == 0 ? 1 : 2);
        }

        private void Publish(int i)
        {
            ushort id = (ushort)(i % 60000 + 1);
            _pubOutstanding[id] = i;
            _pub.Send(TestPackets.Publish("seq/" + i, i.ToString(), Qos(i), id));
            ReadPublisherAcks();
        }

        private void ReadPublisherAcks()
        {
            _pub.Drain();
            while (_pub.TryNext(out FixedHeader h, out int off))
            {
                ushort pid = (ushort)((_pub.Inbox[off + 2] << 8) | _pub.Inbox[off + 3]);
                if (h.Type == PacketType.Puback || h.Type == PacketType.Pubrec)
                {
                    // The broker now owns the message: from here on it must not be lost.
                    _acknowledged[_pubOutstanding[pid]] = true;
                    if (h.Type == PacketType.Pubrec)
                    {
                        _pub.Send(TestPackets.Ack(PacketType.Pubrel, pid));
                    }
                }
                else if (h.Type == PacketType.Pubcomp)
                {
                    _pubOutstanding.Remove(pid);
                }
            }
        }

        private void StartSubscriber(bool expectSession)
        {
            _sub = _net.Open();
            Assert.NotNull(_sub);
            _sub.Reading = false;
            _sub.Send(TestPackets.Connect(new ConnectSpec("subscriber") { CleanSession = false }));
            _sub.Drain(4);
            ConnackView ack = _sub.ExpectConnack();
            Assert.Equal(ConnectReturnCode.Accepted, ack.ReturnCode);
            Assert.Equal(expectSession, ack.SessionPresent);
            if (expectSession)
            {
                _reconnects++;
            }
        }

        /// <summary>Reads up to max bytes from the socket and handles every complete packet in them.</summary>
        private void Read(int max)
        {
            _sub.Drain(max);
            FixedHeader h;
            while (_sub.TryNext(out h, out int off))
            {
                Assert.Equal(DecodeResult.Ok, new Packet().Validate(_sub.Inbox, off, h));
                if (h.Type == PacketType.Publish)
                {
                    PublishView v = new PublishView();
                    PublishPacket.Decode(_sub.Inbox, off, h, v);
                    int seq = int.Parse(_sub.Text(v.PayloadOffset, v.PayloadLength));
                    Assert.Equal(Qos(seq), v.Qos);
                    if (v.Dup)
                    {
                        _dupsSeen++;
                    }

                    if (v.Qos == 1)
                    {
                        _delivered[seq]++;
                        _subReplies.Add(TestPackets.Ack(PacketType.Puback, v.PacketId));
                    }
                    else
                    {
                        // Deliver on the first PUBLISH of an id, not again until its PUBREL ([MQTT-4.3.3-2], method B).
                        if (_qos2Held.Add(v.PacketId))
                        {
                            _delivered[seq]++;
                        }

                        _subReplies.Add(TestPackets.Ack(PacketType.Pubrec, v.PacketId));
                    }
                }
                else if (h.Type == PacketType.Pubrel)
                {
                    ushort id = (ushort)((_sub.Inbox[off + 2] << 8) | _sub.Inbox[off + 3]);
                    _qos2Held.Remove(id);
                    _subReplies.Add(TestPackets.Ack(PacketType.Pubcomp, id));
                }
                else
                {
                    Assert.True(h.Type == PacketType.Suback, "unexpected packet type " + h.Type);
                }
            }
        }

        private void FlushReplies()
        {
            foreach (byte[] reply in _subReplies)
            {
                _sub.Send(reply);
            }

            _subReplies.Clear();
        }

        /// <summary>The network dies: unread bytes and unsent replies are gone, the session stays with the broker.</summary>
        private void Kill()
        {
            _bytesLostInFlight += _sub.Unread + _subReplies.Sum(r => r.Length);
            _subReplies.Clear();
            _sub.DropNetwork();
            _sub = null;
            _kills++;
        }
    }
}
