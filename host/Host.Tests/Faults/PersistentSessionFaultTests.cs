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
    /// acknowledged must reach the subscriber: QoS 1 at least once, QoS 2 exactly once. The subscriber keeps what
    /// a client must keep across reconnects (the QoS 2 ids it received and not yet released, [MQTT-4.1.0-1]); the
    /// broker does the rest (queueing while it is away, resending with DUP, resending PUBREL).
    /// </summary>
    public class PersistentSessionFaultTests
    {
        private const int Messages = 3000;
        private const int Seed = 424242;

        private readonly ITestOutputHelper output;
        private readonly Random rng = new Random(Seed);
        private FakeNet net;

        // Subscriber state that survives a kill, as a client's persistent session state does.
        private readonly HashSet<ushort> qos2Held = new HashSet<ushort>();
        private readonly int[] delivered = new int[Messages];
        private FakeClient sub;
        private readonly List<byte[]> subReplies = new List<byte[]>();
        private int kills;
        private int reconnects;
        private int dupsSeen;
        private int bytesLostInFlight;

        // Publisher state.
        private FakeClient pub;
        private readonly bool[] acknowledged = new bool[Messages];
        private readonly Dictionary<ushort, int> pubOutstanding = new Dictionary<ushort, int>();

        public PersistentSessionFaultTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        /// <param name="keepsUp">
        /// True: on average the subscriber keeps up, so nothing may be dropped and every acknowledged message must
        /// arrive. False: it reads and acknowledges too slowly: while it is connected the publisher is held back
        /// (back-pressure, nothing dropped), while it is away its queue overflows, and every acknowledged message
        /// must be either delivered or counted as dropped (newest refused), never silently lost or doubled.
        /// </param>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Every_acknowledged_message_arrives_or_is_counted_and_qos2_exactly_once_across_kills(bool keepsUp)
        {
            BrokerOptions o = BrokerOptions.Device();
            // Room for what piles up while the subscriber is away (up to 8 publishes) or reads slowly, whatever
            // the Device profile's own queue depth is: this test is about kills, SlowConsumerTests about overflow.
            o.InflightPerSession = 4;
            o.MaxQueuedMessages = 32;
            o.PoolBytes = 16384;
            net = new FakeNet(o);
            pub = net.Connect("publisher", true);
            StartSubscriber(false);
            sub.Send(TestPackets.Subscribe(1, "seq/#", 2));
            Read(int.MaxValue);

            int down = 0;
            for (int i = 0; i < Messages; i++)
            {
                Publish(i);
                if (sub == null)
                {
                    if (--down <= 0)
                    {
                        StartSubscriber(true);
                    }

                    continue;
                }

                // Partial reads leave packets half-received; replies are sent late or never.
                int fullRead = keepsUp ? 4 : 2;
                Read(rng.Next(fullRead) != 0 ? int.MaxValue : rng.Next(1, 120));
                if (keepsUp ? rng.Next(4) != 0 : rng.Next(3) == 0)
                {
                    FlushReplies();
                }

                if (rng.Next(100) < 6)
                {
                    Kill();
                    down = rng.Next(1, 9);
                }
            }

            if (sub == null)
            {
                StartSubscriber(true);
            }

            int session = net.Engine.SessionOf(sub.Handle);
            for (int round = 0; round < 1000 && (net.Engine.InflightFor(session) > 0 || net.Engine.QueuedFor(session) > 0 || subReplies.Count > 0
                || pub.Unsent > 0 || net.Engine.HeldPublishers > 0 || pub.Unread > 0); round++)
            {
                Read(int.MaxValue);
                FlushReplies();
                ReadPublisherAcks();
            }

            Counters c = net.Engine.Counters;
            int qos1Acked = Enumerable.Range(0, Messages).Count(i => acknowledged[i] && Qos(i) == 1);
            int qos2Acked = Enumerable.Range(0, Messages).Count(i => acknowledged[i] && Qos(i) == 2);
            int qos1Dups = Enumerable.Range(0, Messages).Where(i => Qos(i) == 1).Sum(i => Math.Max(0, delivered[i] - 1));
            output.WriteLine((keepsUp ? "keeps up: " : "too slow: ") + "published " + Messages + " (QoS 1 " + Messages / 2 + ", QoS 2 " + Messages / 2 + "), acknowledged " + qos1Acked + "+" + qos2Acked
                + "; subscriber killed " + kills + " times, reconnected " + reconnects + " (session present each time), " + bytesLostInFlight
                + " bytes lost in flight; delivered " + delivered.Sum() + " (QoS 1 duplicates " + qos1Dups + ", QoS 2 duplicates "
                + Enumerable.Range(0, Messages).Where(i => Qos(i) == 2).Sum(i => Math.Max(0, delivered[i] - 1)) + "), DUP resends seen "
                + dupsSeen + ", dropped by the broker " + c.MessagesDropped + " (offline queue full " + c.DroppedQueueFull + ", pool full " + c.DroppedPoolFull
                + "), publisher held " + c.PublishesHeld + " times");

            Assert.Equal(Messages, qos1Acked + qos2Acked);
            int unique = delivered.Count(d => d > 0);
            if (keepsUp)
            {
                Assert.Equal(0, c.MessagesDropped);
            }
            else
            {
                Assert.True(c.PublishesHeld > 10, "the slow variant must hold the publisher back");
                Assert.Equal(c.MessagesDropped, c.DroppedQueueFull);
            }

            // Nothing vanishes unaccounted: each acknowledged message was delivered or counted as dropped.
            Assert.Equal(Messages, unique + (int)c.MessagesDropped);
            Assert.Equal(0, net.Engine.InflightFor(session) + net.Engine.QueuedFor(session));
            for (int i = 0; i < Messages; i++)
            {
                if (keepsUp)
                {
                    Assert.True(delivered[i] >= 1, "message " + i + " acknowledged but never delivered");
                }

                if (Qos(i) == 2)
                {
                    Assert.True(delivered[i] <= 1, "QoS 2 message " + i + " delivered " + delivered[i] + " times");
                }
            }

            Assert.True(kills >= 100 && dupsSeen > 0, "the run must really kill mid-flow (" + kills + " kills, " + dupsSeen + " resends)");
            Assert.Equal(0, c.StoredMessages);
        }

        private static byte Qos(int i)
        {
            return (byte)(i % 2 == 0 ? 1 : 2);
        }

        private void Publish(int i)
        {
            ushort id = (ushort)(i % 60000 + 1);
            pubOutstanding[id] = i;
            pub.Send(TestPackets.Publish("seq/" + i, i.ToString(), Qos(i), id));
            ReadPublisherAcks();
        }

        private void ReadPublisherAcks()
        {
            pub.Drain();
            while (pub.TryNext(out FixedHeader h, out int off))
            {
                ushort pid = (ushort)((pub.Inbox[off + 2] << 8) | pub.Inbox[off + 3]);
                if (h.Type == PacketType.Puback || h.Type == PacketType.Pubrec)
                {
                    // The broker now owns the message: from here on it must not be lost.
                    acknowledged[pubOutstanding[pid]] = true;
                    if (h.Type == PacketType.Pubrec)
                    {
                        pub.Send(TestPackets.Ack(PacketType.Pubrel, pid));
                    }
                }
                else if (h.Type == PacketType.Pubcomp)
                {
                    pubOutstanding.Remove(pid);
                }
            }
        }

        private void StartSubscriber(bool expectSession)
        {
            sub = net.Open();
            Assert.NotNull(sub);
            sub.Reading = false;
            sub.Send(TestPackets.Connect(new ConnectSpec("subscriber") { CleanSession = false }));
            sub.Drain(4);
            ConnackView ack = sub.ExpectConnack();
            Assert.Equal(ConnectReturnCode.Accepted, ack.ReturnCode);
            Assert.Equal(expectSession, ack.SessionPresent);
            if (expectSession)
            {
                reconnects++;
            }
        }

        /// <summary>Reads up to max bytes from the socket and handles every complete packet in them.</summary>
        private void Read(int max)
        {
            sub.Drain(max);
            while (sub.TryNext(out FixedHeader h, out int off))
            {
                Assert.Equal(DecodeResult.Ok, Packet.Validate(sub.Inbox, off, h));
                if (h.Type == PacketType.Publish)
                {
                    PublishPacket.Decode(sub.Inbox, off, h, out PublishView v);
                    int seq = int.Parse(sub.Text(v.Payload));
                    Assert.Equal(Qos(seq), v.Qos);
                    if (v.Dup)
                    {
                        dupsSeen++;
                    }

                    if (v.Qos == 1)
                    {
                        delivered[seq]++;
                        subReplies.Add(TestPackets.Ack(PacketType.Puback, v.PacketId));
                    }
                    else
                    {
                        // Deliver on the first PUBLISH of an id, not again until its PUBREL ([MQTT-4.3.3-2], method B).
                        if (qos2Held.Add(v.PacketId))
                        {
                            delivered[seq]++;
                        }

                        subReplies.Add(TestPackets.Ack(PacketType.Pubrec, v.PacketId));
                    }
                }
                else if (h.Type == PacketType.Pubrel)
                {
                    ushort id = (ushort)((sub.Inbox[off + 2] << 8) | sub.Inbox[off + 3]);
                    qos2Held.Remove(id);
                    subReplies.Add(TestPackets.Ack(PacketType.Pubcomp, id));
                }
                else
                {
                    Assert.True(h.Type == PacketType.Suback, "unexpected packet type " + h.Type);
                }
            }
        }

        private void FlushReplies()
        {
            foreach (byte[] reply in subReplies)
            {
                sub.Send(reply);
            }

            subReplies.Clear();
        }

        /// <summary>The network dies: unread bytes and unsent replies are gone, the session stays with the broker.</summary>
        private void Kill()
        {
            bytesLostInFlight += sub.Unread + subReplies.Sum(r => r.Length);
            subReplies.Clear();
            sub.DropNetwork();
            sub = null;
            kills++;
        }
    }
}
