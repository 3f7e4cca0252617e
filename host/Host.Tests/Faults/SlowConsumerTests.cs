using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// Consumers that cannot keep up, under the flow-control policy (Flow/BackPressure.cs). Changed with issue 10:
    /// these tests pinned the old drops (QoS 1 refused when a connected subscriber's queue was full, QoS 0 dropped
    /// whenever its transmit buffer was); they keep their intent (nothing vanishes unaccounted, a healthy subscriber
    /// gets everything, nothing allocated during the flood) under the new promise: nothing for a connected
    /// subscriber (QoS 0 too, since issue 10's QoS 0 item) is dropped; its publisher is held back instead, until the subscriber reads again or is cut
    /// after StallTimeoutMs of taking nothing. Offline sessions still keep the oldest up to MaxQueuedMessages.
    /// </summary>
    public class SlowConsumerTests
    {
        private const int Flood = 10_000;

        private readonly ITestOutputHelper _output;
        private readonly BrokerOptions _options = BrokerOptions.Device();

        public SlowConsumerTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void An_offline_session_keeps_the_oldest_messages_up_to_its_queue_and_counts_the_rest()
        {
            var net = new FakeNet(_options);
            FakeClient away = net.Connect(new ConnectSpec("away") { CleanSession = false });
            away.Subscribe("flood", 1);
            away.DropNetwork();
            FakeClient pub = net.Connect("pub", true);

            byte[][] packets = Packets(1);
            FloodHalves halves = new FloodHalves(100, Flood / 2);
            for (int i = 0; i < Flood; i++)
            {
                halves.At(i);

                pub.Send(packets[i]);
                Check(Next(pub, PacketType.Puback) == (ushort)(i % 60000 + 1), "PUBACK for every message");
                Check(net.Engine.Counters.StoredMessages <= _options.MaxQueuedMessages, "stored messages above the queue depth");
            }

            long allocated = halves.Quieter();
            Counters c = net.Engine.Counters;
            Assert.Equal(0, allocated);
            Assert.Equal(Flood - _options.MaxQueuedMessages, c.DroppedQueueFull);
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

            Assert.Equal(_options.MaxQueuedMessages, received);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
            _output.WriteLine("offline: " + Flood + " QoS 1 published and acknowledged, " + received + " kept (the oldest, in order), "
                + c.DroppedQueueFull + " refused and counted, pool peak <= " + _options.MaxQueuedMessages + ", allocated during the flood "
                + allocated + " bytes");
        }

        [Fact]
        public void A_qos0_subscriber_that_stops_reading_holds_the_publisher_until_cut_and_the_healthy_one_gets_everything_in_order()
        {
            // Issue 10's QoS 0 item: this test pinned the old QoS 0 policy (the publisher never held, the stalled
            // subscriber's messages beyond its queue dropped as DroppedQueueFull while it was still connected). Now QoS 0
            // is held for like QoS 1: the publisher waits until the stalled subscriber is cut after StallTimeoutMs, and
            // only then, with its session away, does queue_qos0_messages false drop its copies (DroppedOfflineQos0).
            var net = new FakeNet(_options);
            FakeClient slow = net.Connect(new ConnectSpec("slow") { CleanSession = false });
            slow.Subscribe("flood", 0);
            FakeClient fast = net.Connect("fast", true);
            fast.Subscribe("flood", 0);
            FakeClient pub = net.Connect("pub", true);
            slow.Reading = false;

            byte[][] packets = Packets(0);
            FloodHalves halves = new FloodHalves(100, Flood / 2);
            int waits = 0;
            int cutAt = -1;
            for (int i = 0; i < Flood; i++)
            {
                halves.At(i);

                pub.Send(packets[i]);
                while (net.Engine.IsHeld(pub.Handle))
                {
                    // Held (fake clock, no real time passes): nothing dropped while the stalled one is connected.
                    Check(net.Engine.Counters.MessagesDropped == 0, "a QoS 0 message dropped for a connected subscriber");
                    Check(!slow.IsClosed, "held after the cut");
                    net.Advance(500);
                    waits++;
                    Check(waits < 100, "the publisher was held for ever");
                    if (slow.IsClosed && cutAt < 0)
                    {
                        cutAt = i;
                    }
                }

                Check(Seq(fast) == i, "the healthy subscriber missed a message or got it out of order");
            }

            long allocated = halves.Quieter();
            Counters c = net.Engine.Counters;
            Assert.Equal(0, allocated);
            Assert.True(c.PublishesHeld > 0, "the QoS 0 publisher was held");
            Assert.Equal(1, c.StalledDisconnects);
            Assert.True(slow.IsClosed, "the stalled subscriber was disconnected");
            Assert.Equal(CloseReason.Stalled, net.Engine.CloseReasonOf(slow.Handle));
            Assert.True(cutAt > 0);

            // What was written to it before the cut is in its inbox, in order; everything else was counted, and only
            // once it was away (the offline QoS 0 rule), never while it was connected.
            int slowGot = 0;
            int last = -1;
            while (slow.Unread > 0)
            {
                int seq = Seq(slow);
                Assert.True(seq > last, "out of order: " + seq + " after " + last);
                last = seq;
                slowGot++;
            }

            Assert.Equal(c.MessagesDropped, c.DroppedOfflineQos0);
            Assert.Equal(0, c.DroppedQueueFull);
            Assert.Equal(0, c.DroppedPoolFull);
            Assert.Equal(Flood, slowGot + c.DroppedOfflineQos0);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
            _output.WriteLine("stalled reader, QoS 0: " + Flood + " published, healthy subscriber got all in order; publisher held "
                + c.PublishesHeld + " time(s) (" + waits + " Ticks of 500 ms on the fake clock) until the stalled one was cut after "
                + _options.StallTimeoutMs + " ms (at message " + cutAt + "); it got " + slowGot + ", " + c.DroppedOfflineQos0
                + " counted as dropped once it was away (queue_qos0_messages false); allocated during the flood " + allocated + " bytes");
        }

        [Fact]
        public void A_qos1_subscriber_that_stops_reading_holds_the_publisher_until_cut_and_no_acknowledged_message_is_lost()
        {
            var net = new FakeNet(_options);
            FakeClient slow = net.Connect(new ConnectSpec("slow") { CleanSession = false });
            slow.Subscribe("flood", 1);
            FakeClient fast = net.Connect("fast", true);
            fast.Subscribe("flood", 1);
            FakeClient pub = net.Connect("pub", true);
            slow.Reading = false;

            byte[][] packets = Packets(1);
            FloodHalves halves = new FloodHalves(100, Flood / 2);
            int waits = 0;
            for (int i = 0; i < Flood; i++)
            {
                halves.At(i);

                pub.Send(packets[i]);
                int acked;
                while ((acked = Next(pub, PacketType.Puback)) < 0)
                {
                    // Held: no PUBACK until the stalled subscriber is cut (fake clock, no real time passes).
                    Check(net.Engine.IsHeld(pub.Handle), "no PUBACK and not held");
                    net.Advance(500);
                    waits++;
                    Check(waits < 100, "the publisher was held for ever");
                }

                Check(acked == (ushort)(i % 60000 + 1), "PUBACK in order");
                int id = Next(fast, PacketType.Publish);
                Check(id > 0, "the healthy subscriber missed a message");
                Ack(fast, (ushort)id);
            }

            long allocated = halves.Quieter();
            Counters c = net.Engine.Counters;
            Assert.Equal(0, allocated);
            Assert.Equal(1, c.StalledDisconnects);
            Assert.True(slow.IsClosed, "the stalled subscriber was disconnected");
            Assert.Equal(CloseReason.Stalled, net.Engine.CloseReasonOf(slow.Handle));

            // What the stalled one was sent before the cut is in its inbox; its session kept the rest up to its queue.
            var seen = new System.Collections.Generic.HashSet<int>();
            while (slow.Unread > 0)
            {
                { PublishView m = slow.ExpectPublish(); seen.Add(int.Parse(slow.Text(m.PayloadOffset, m.PayloadLength))); }
            }

            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(new ConnectSpec("slow") { CleanSession = false }));
            Assert.True(back.ExpectConnack().SessionPresent);
            for (int round = 0; round < 100 && back.Unread > 0; round++)
            {
                while (back.Unread > 0)
                {
                    PublishView v = back.ExpectPublish();
                    seen.Add(int.Parse(back.Text(v.PayloadOffset, v.PayloadLength)));
                    back.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                }
            }

            // Everything acknowledged reached the healthy subscriber; for the stalled one it arrived or was counted
            // (dropped only once it was offline, by the offline queue limit).
            Assert.Equal(c.MessagesDropped, c.DroppedQueueFull);
            Assert.Equal(Flood, seen.Count + c.DroppedQueueFull);
            Assert.Equal(0, c.StoredMessages);
            _output.WriteLine("stalled reader, QoS 1: " + Flood + " published and acknowledged, healthy subscriber got all; publisher held "
                + c.PublishesHeld + " time(s) (" + waits + " Ticks of 500 ms on the fake clock) until the stalled one was cut after "
                + _options.StallTimeoutMs + " ms; it got " + seen.Count + " (before the cut and from its session), " + c.DroppedQueueFull
                + " counted as dropped while it was offline; allocated during the flood " + allocated + " bytes");
        }

        private readonly byte[] _ack = new byte[AckPacket.Size];
        // Static like Next, allocated with the class (nothing lazy inside a measured flood); the tests of one class
        // run one at a time.
        private static readonly PublishView PublishScratch = new PublishView();

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
                PublishView v = PublishScratch;
                PublishPacket.Decode(c.Inbox, off, h, v);
                return v.PacketId;
            }

            return (c.Inbox[off + 2] << 8) | c.Inbox[off + 3];
        }

        /// <summary>The next packet, which must be a PUBLISH: its payload read as a decimal number, without allocating.</summary>
        private static int Seq(FakeClient c)
        {
            FixedHeader h;
            if (!c.TryNext(out h, out int off))
            {
                return -1;
            }

            Check(h.Type == PacketType.Publish, "unexpected packet type");
            PublishView v = PublishScratch;
            PublishPacket.Decode(c.Inbox, off, h, v);
            int n = 0;
            for (int k = 0; k < v.PayloadLength; k++)
            {
                n = n * 10 + (c.Inbox[v.PayloadOffset + k] - '0');
            }

            return n;
        }

        private void Ack(FakeClient c, ushort id)
        {
            AckPacket.Encode(_ack, 0, _ack.Length, PacketType.Puback, id);
            c.Send(_ack);
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
