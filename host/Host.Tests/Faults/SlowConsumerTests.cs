using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// Consumers that cannot keep up. The documented policy (BrokerOptions, Delivery.cs, as Mosquitto): QoS 1/2 for a
    /// session whose queue is full is refused, newest first, and counted (DroppedQueueFull); QoS 0 to a client whose
    /// transmit buffer is full is dropped and counted (DroppedTxFull); the publisher is acknowledged as usual and
    /// never waits; a healthy subscriber of the same topic gets everything. Memory: nothing allocated during the
    /// flood, stored messages never above in-flight + queue.
    /// </summary>
    public class SlowConsumerTests
    {
        private const int Flood = 10_000;

        private readonly ITestOutputHelper output;
        private readonly BrokerOptions options = BrokerOptions.Device();

        public SlowConsumerTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        [Fact]
        public void An_offline_session_keeps_the_oldest_messages_up_to_its_queue_and_counts_the_rest()
        {
            var net = new FakeNet(options);
            FakeClient away = net.Connect(new ConnectSpec("away") { CleanSession = false });
            away.Subscribe("flood", 1);
            away.DropNetwork();
            FakeClient pub = net.Connect("pub", true);

            byte[][] packets = Packets(1);
            long before = 0;
            for (int i = 0; i < Flood; i++)
            {
                if (i == 100)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                pub.Send(packets[i]);
                Check(Next(pub, PacketType.Puback) == (ushort)(i % 60000 + 1), "PUBACK for every message");
                Check(net.Engine.Counters.StoredMessages <= options.QueuePerSession, "stored messages above the queue depth");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Counters c = net.Engine.Counters;
            Assert.Equal(0, allocated);
            Assert.Equal(Flood - options.QueuePerSession, c.DroppedQueueFull);
            Assert.Equal(c.DroppedQueueFull, c.MessagesDropped);

            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(new ConnectSpec("away") { CleanSession = false }));
            Assert.True(back.ExpectConnack().SessionPresent);
            int received = 0;
            while (back.Unread > 0)
            {
                PublishView v = back.ExpectPublish();
                Assert.Equal(received.ToString(), back.Text(v.PayloadOffset, v.PayloadLength));
                back.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                received++;
            }

            Assert.Equal(options.QueuePerSession, received);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
            output.WriteLine("offline: " + Flood + " QoS 1 published and acknowledged, " + received + " kept (the oldest, in order), "
                + c.DroppedQueueFull + " refused and counted, store peak <= " + options.QueuePerSession + ", allocated during the flood "
                + allocated + " bytes");
        }

        [Theory]
        [InlineData(1)]
        [InlineData(0)]
        public void A_subscriber_that_stops_reading_loses_only_its_own_messages_counted(byte qos)
        {
            var net = new FakeNet(options);
            FakeClient slow = net.Connect(new ConnectSpec("slow") { CleanSession = false });
            slow.Subscribe("flood", qos);
            FakeClient fast = net.Connect("fast", true);
            fast.Subscribe("flood", qos);
            FakeClient pub = net.Connect("pub", true);
            slow.Reading = false;

            byte[][] packets = Packets(qos);
            long before = 0;
            int fastGot = 0;
            for (int i = 0; i < Flood; i++)
            {
                if (i == 100)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                pub.Send(packets[i]);
                if (qos == 1)
                {
                    Check(Next(pub, PacketType.Puback) > 0, "PUBACK for every message");
                }

                int id = Next(fast, PacketType.Publish);
                Check(id >= 0, "the healthy subscriber missed a message");
                if (qos == 1)
                {
                    Ack(fast, (ushort)id);
                }

                fastGot++;
                Check(net.Engine.Counters.StoredMessages <= options.InflightPerSession + options.QueuePerSession, "stored messages above in-flight + queue");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Counters c = net.Engine.Counters;
            Assert.Equal(0, allocated);
            Assert.Equal(Flood, fastGot);

            // It reads again: it gets what was kept for it, and what was kept plus what was counted is everything.
            slow.Reading = true;
            net.Pump();
            int slowGot = 0;
            int last = -1;
            for (int round = 0; round < 100 && (slow.Unread > 0 || net.Engine.InflightFor(net.Engine.SessionOf(slow.Handle)) > 0); round++)
            {
                while (slow.Unread > 0)
                {
                    PublishView v = slow.ExpectPublish();
                    int seq = int.Parse(slow.Text(v.PayloadOffset, v.PayloadLength));
                    Assert.True(seq > last, "out of order: " + seq + " after " + last);
                    last = seq;
                    if (qos == 1)
                    {
                        slow.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                    }

                    slowGot++;
                }

                net.Pump();
            }

            long dropped = qos == 1 ? c.DroppedQueueFull : c.DroppedTxFull;
            Assert.True(dropped > 0);
            Assert.Equal(c.MessagesDropped, dropped);
            Assert.Equal(Flood, slowGot + dropped);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
            output.WriteLine("stalled reader, QoS " + qos + ": " + Flood + " published, healthy subscriber got " + fastGot + ", stalled one got "
                + slowGot + " after resuming, " + dropped + " counted as dropped (" + (qos == 1 ? "queue full" : "transmit buffer full")
                + "), allocated during the flood " + allocated + " bytes");
        }

        private readonly byte[] ack = new byte[AckPacket.Size];
        // Static like Next; the decode only runs on this class's own test thread at a time (one flood per test).
        [ThreadStatic]
        private static PublishView publish;

        /// <summary>
        /// The next packet in the client's inbox, which must be of this type: its packet id (0 for QoS 0), or -1 when
        /// there is none. Allocation-free, unlike FakeClient's Expect methods, so the flood can be measured.
        /// </summary>
        private static int Next(FakeClient c, byte type)
        {
            FixedHeader h;
            if (!c.TryNext(out h, out int off))
            {
                return -1;
            }

            Check(h.Type == type, "unexpected packet type");
            if (type == PacketType.Publish)
            {
                PublishView v = publish ?? (publish = new PublishView());
                PublishPacket.Decode(c.Inbox, off, h, v);
                return v.PacketId;
            }

            return (c.Inbox[off + 2] << 8) | c.Inbox[off + 3];
        }

        private void Ack(FakeClient c, ushort id)
        {
            AckPacket.Encode(ack, 0, ack.Length, PacketType.Puback, id);
            c.Send(ack);
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new Xunit.Sdk.XunitException(what);
            }
        }

        /// <summary>Prebuilt, so the flood itself allocates nothing on the test's side either.</summary>
        private static byte[][] Packets(byte qos)
        {
            var packets = new byte[Flood][];
            for (int i = 0; i < Flood; i++)
            {
                packets[i] = TestPackets.Publish("flood", i.ToString(), qos, (ushort)(i % 60000 + 1));
            }

            return packets;
        }
    }
}
