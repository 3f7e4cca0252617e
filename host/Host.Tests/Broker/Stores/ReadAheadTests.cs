using System;
using Device.Broker;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Device.Broker/Stores/Connections.cs, grown layout (the Host profile): a busy connection's receive buffer grows
    /// beyond its packet up to Connections.ReadAhead, so one read takes a publisher's whole window and its acks leave
    /// in one send; a held publisher is read up to ReadAhead and no further (back-pressure), then answered in one
    /// batch when room frees; the buffers go back to the pool at the Tick once empty. Driven through the engine's
    /// seam exactly as the socket transport drives it (ReceiveBuffer, Received, PendingOutput, Sent); no timings.
    /// </summary>
    public class ReadAheadTests
    {
        private const int Payload = 1024;

        private static byte[] Window(int count, int firstId, byte qos = 1)
        {
            string payload = TestPackets.Repeat('x', Payload);
            byte[] one = TestPackets.Publish("ra/t", payload, qos, 1);
            byte[] all = new byte[one.Length * count];
            for (int i = 0; i < count; i++)
            {
                byte[] p = TestPackets.Publish("ra/t", payload, qos, (ushort)(firstId + i));
                Array.Copy(p, 0, all, i * one.Length, p.Length);
            }

            return all;
        }

        /// <summary>Feeds bytes as the transport does until they are all taken or the engine offers no room; returns the reads made.</summary>
        private static int Feed(BrokerEngine engine, int c, byte[] bytes, ref int at, long now)
        {
            int reads = 0;
            while (at < bytes.Length)
            {
                byte[] buffer = engine.ReceiveBuffer(c, out int offset, out int free);
                if (free == 0)
                {
                    break;
                }

                int n = Math.Min(free, bytes.Length - at);
                Array.Copy(bytes, at, buffer, offset, n);
                at += n;
                engine.Received(c, n, now);
                reads++;
            }

            return reads;
        }

        /// <summary>What one PendingOutput region (one send of the transport) holds, consumed; counts its PUBACKs.</summary>
        private static int OneSendOfPubacks(BrokerEngine engine, int c)
        {
            int n = engine.PendingOutput(c, out byte[] buffer, out int offset);
            int acks = 0;
            var h = new FixedHeader();
            for (int pos = offset; pos < offset + n; pos += h.TotalLength)
            {
                Assert.Equal(DecodeResult.Ok, Framing.ReadHeader(buffer, pos, offset + n - pos, 0, h));
                Assert.Equal(PacketType.Puback, h.Type);
                acks++;
            }

            engine.Sent(c, n);
            return acks;
        }

        [Fact]
        public void A_window_of_sixteen_1_KB_publishes_is_taken_in_a_few_reads_and_acknowledged_in_one_send()
        {
            var net = new FakeNet(BrokerOptions.Host());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("ra/#", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Reading = false;

            byte[] window = Window(16, 1);
            int at = 0;
            int reads = Feed(net.Engine, pub.Handle, window, ref at, net.Now);

            Assert.Equal(window.Length, at);
            // From a 512-byte buffer doubling to 16 KB: 512, 1,536, 2,048, 4,096, 8,192 bytes. Without read-ahead each
            // read after the first took at most one more 1 KB PUBLISH: 16 reads or more.
            Assert.True(reads <= 6, reads + " reads for a window of 16 publishes of 1 KB");
            Assert.Equal(16, OneSendOfPubacks(net.Engine, pub.Handle));
            Assert.Equal(16, net.Engine.Counters.MessagesSent);
        }

        [Fact]
        public void A_stream_of_qos0_publishes_is_read_ahead_like_qos1_now_that_its_publisher_can_be_held()
        {
            // Issue 10's QoS 0 item: this test pinned the old exception (QoS 0 read packet by packet, at least 16 reads,
            // because its publisher was never held and read ahead a fan-in took more than the subscriber drained and
            // dropped the rest). QoS 0 publishers are held now, so QoS 0 is read ahead too (open fan-in 1000:1 QoS 0
            // 1 KB: 248k msg/s with it, 61k without; docs/BENCHMARKS.md, "Issue 10, QoS 0 back-pressure").
            var net = new FakeNet(BrokerOptions.Host());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("ra/#", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Reading = false;

            byte[] window = Window(16, 1, 0);
            int at = 0;
            int reads = Feed(net.Engine, pub.Handle, window, ref at, net.Now);

            Assert.Equal(window.Length, at);
            Assert.True(reads <= 6, reads + " reads for 16 QoS 0 publishes of 1 KB");
            Assert.Equal(16, net.Engine.Counters.MessagesSent);
            Assert.Equal(0, net.Engine.Counters.MessagesDropped);
        }

        [Fact]
        public void A_held_publisher_is_read_up_to_the_read_ahead_then_answered_in_one_batch_and_its_buffer_given_back()
        {
            BrokerOptions o = BrokerOptions.Host();
            // A small window and queue keep the subscriber's output within the test client's 16 KB inbox.
            o.InflightPerSession = 8;
            o.MaxQueuedMessages = 10;
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("ra/#", 1);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            pub.Reading = false;
            long buffersAtStart = net.Engine.Buffers.InUseBytes;

            int capacity = o.InflightPerSession + o.MaxQueuedMessages;
            int packet = Window(1, 1).Length;
            byte[] burst = Window(capacity + 64, 1);
            int at = 0;
            Feed(net.Engine, pub.Handle, burst, ref at, net.Now);

            // Back-pressure engaged: the subscriber's window and queue are full, the rest waits unanswered.
            Assert.True(at < burst.Length, "the engine stopped offering room");
            Assert.Equal(capacity, net.Engine.Counters.MessagesReceived);
            int heldBytes = at - capacity * packet;
            // Read on up to the read-ahead (a 2 KB buffer, one or two publishes, without it), and no further.
            Assert.InRange(heldBytes, Connections.ReadAhead / 2, Connections.ReadAhead);
            int answered = 0;
            while (net.Engine.PendingOutput(pub.Handle, out _, out _) > 0)
            {
                answered += OneSendOfPubacks(net.Engine, pub.Handle);
            }

            Assert.Equal(capacity, answered);

            // The subscriber takes its window and acknowledges it in one read: room for 8 more frees at once, and the
            // held publisher's buffered publishes are taken together, their PUBACKs in one send.
            sub.Drain();
            byte[] acks = new byte[o.InflightPerSession * 4];
            for (int i = 0; i < o.InflightPerSession; i++)
            {
                PublishView v = sub.ExpectPublish();
                TestPackets.Ack(PacketType.Puback, v.PacketId).CopyTo(acks, i * 4);
            }

            sub.Send(acks);
            int batch = OneSendOfPubacks(net.Engine, pub.Handle);
            Assert.True(batch >= 6, batch + " PUBACKs in the one send after room freed (one or two without read-ahead)");

            // Everything else through, then nothing stays: the read-ahead buffer goes back to the pool at the Tick.
            sub.Reading = true;
            int received = o.InflightPerSession;
            int guard = 0;
            while (received < burst.Length / packet && guard++ < 100_000)
            {
                Feed(net.Engine, pub.Handle, burst, ref at, net.Now);
                while (net.Engine.PendingOutput(pub.Handle, out _, out _) > 0)
                {
                    OneSendOfPubacks(net.Engine, pub.Handle);
                }

                net.Pump();
                // All that arrived is acknowledged in one send after it is read (the test inbox then starts over).
                int n = 0;
                byte[] round = new byte[4 * 64];
                while (n < round.Length && sub.TryNext(out FixedHeader h, out int offset))
                {
                    Assert.Equal(PacketType.Publish, h.Type);
                    var v = new PublishView();
                    Assert.Equal(DecodeResult.Ok, PublishPacket.Decode(sub.Inbox, offset, h, v));
                    TestPackets.Ack(PacketType.Puback, v.PacketId).CopyTo(round, n);
                    n += 4;
                    received++;
                }

                if (n > 0)
                {
                    sub.Send(round, 0, n);
                }
            }

            Assert.Equal(burst.Length / packet, received);
            Assert.Equal(0, net.Engine.Counters.MessagesDropped);
            net.Advance(1000);
            Assert.Equal(buffersAtStart, net.Engine.Buffers.InUseBytes);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
        }
    }
}
