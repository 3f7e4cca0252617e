using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// QoS 0 under fan-in (issue 10's QoS 0 item, Flow/BackPressure.cs): publishers that send QoS 0 as fast as their
    /// "socket" takes it, to one subscriber that reads at a bounded pace. 100,000 messages on the Device and on the Host
    /// profile: the QoS 0 publishers must be held (back-pressure engages), every message must arrive exactly once and in
    /// each publisher's order, nothing is dropped, nothing is allocated per message while publishers are held, and the
    /// pool is empty at the end. Before the change the same burst lost most messages (DroppedQueueFull). In-memory
    /// transport, no timings; the real-socket twin is Net/Qos0FanInSocketTests.
    /// </summary>
    public class Qos0FanInBurstTests
    {
        // What the subscriber decodes each PUBLISH into: one, reused (the burst is measured at 0 B).
        private static readonly PublishView Decoded = new PublishView();

        private const int Total = 100_000;

        // Bytes a publisher's "socket" holds before its send would block: it sends whenever it has room.
        private const int SocketBytes = 512;

        private readonly ITestOutputHelper _output;

        public Qos0FanInBurstTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("Device")]
        [InlineData("Host")]
        public void A_100000_message_qos0_fan_in_burst_is_delivered_whole_and_in_order_by_holding_the_publishers(string profile)
        {
            bool device = profile == "Device";
            BrokerOptions o = device ? BrokerOptions.Device() : BrokerOptions.Host();
            // The Device profile's own client limit; on the Host 20 publishers (each one's 512 B a round outruns the
            // subscriber's 2 KB, so its queue of 1,000 fills and they are held).
            int pubs = device ? o.MaxClients - 1 : 20;
            int per = (Total + pubs - 1) / pubs;
            int total = pubs * per;
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("fan/#", 0);
            sub.Reading = false;

            var fan = new FanInPublishers(net, pubs, per, 0);
            FakeClient[] publishers = fan.Clients;
            byte[][][] packets = fan.Packets;
            var sentCount = new int[pubs];
            var nextSeen = new int[pubs];

            int delivered = 0;
            int sent = 0;
            // Two measured halves after a warm-up of 10,000 messages, by messages delivered (see FloodHalves). The
            // warm-up covers the Host profile's receive buffers growing to their read-ahead size (16 KB, once per held
            // publisher, from the BufferPool: a cost per connection, not per message).
            const int WarmUp = 10_000;
            FloodHalves halves = new FloodHalves(WarmUp, WarmUp + (total - WarmUp) / 2);
            long heldRounds = 0;
            for (int round = 0; delivered < total; round++)
            {
                if (round >= 50 * total)
                {
                    int held = 0;
                    for (int k = 0; k < pubs; k++)
                    {
                        held += net.Engine.IsHeld(publishers[k].Handle) ? 1 : 0;
                    }

                    Check(false, "no progress: delivered " + delivered + ", sent " + sent + ", held " + held + ", queued for the subscriber "
                        + net.Engine.QueuedFor(net.Engine.SessionOf(sub.Handle)) + ", entries used " + net.Engine.Deliveries.Used
                        + ", pool messages " + net.Engine.Messages.Count + ", subscriber unread " + sub.Unread);
                }

                halves.At(delivered);

                // Each publisher fills its socket whenever the engine took everything in it: QoS 0 has no window, only
                // the socket paces it.
                for (int k = 0; k < pubs; k++)
                {
                    FakeClient p = publishers[k];
                    int room = p.Unsent == 0 ? SocketBytes : 0;
                    while (sentCount[k] < per && room >= packets[k][sentCount[k]].Length)
                    {
                        byte[] packet = packets[k][sentCount[k]++];
                        room -= packet.Length;
                        p.Send(packet);
                        sent++;
                    }

                    if (net.Engine.IsHeld(p.Handle))
                    {
                        heldRounds++;
                    }
                }

                // The subscriber reads at most 2 KB a round, whole packets (all 13 bytes long) so its inbox starts over.
                sub.Drain(157 * 13);
                while (sub.TryNext(out FixedHeader h, out int off))
                {
                    Check(h.Type == PacketType.Publish, "unexpected packet to the subscriber");
                    PublishView v = Decoded;
                    PublishPacket.Decode(sub.Inbox, off, h, v);
                    Check(v.Qos == 0, "QoS 0 in, QoS 0 out");
                    int at = v.PayloadOffset;
                    int seq = (sub.Inbox[at] << 24) | (sub.Inbox[at + 1] << 16) | (sub.Inbox[at + 2] << 8) | sub.Inbox[at + 3];
                    int k = seq / per;
                    if (seq % per != nextSeen[k])
                    {
                        // The message is built only on failure: the loop is measured at 0 B.
                        Check(false, "publisher " + k + ": message " + (seq % per) + " where " + nextSeen[k] + " was next");
                    }

                    nextSeen[k]++;
                    delivered++;
                }

                // The transport's next pass: what the publishers' sockets still hold goes in where the engine has room.
                net.Pump();
            }

            long allocated = halves.Quieter();
            Counters c = net.Engine.Counters;
            _output.WriteLine(profile + " profile, QoS 0: " + pubs + " publishers x " + per + " = " + total + " sent as fast as taken; subscriber got "
                + delivered + " in order; publishes held " + c.PublishesHeld + " times (queue full " + c.HeldQueueFull + ", pool full "
                + c.HeldPoolFull + "), held in " + heldRounds + " publisher-rounds; dropped " + c.MessagesDropped + "; allocated after warm-up "
                + allocated + " bytes");

            Assert.Equal(total, sent);
            Assert.Equal(0, allocated);
            Assert.True(c.PublishesHeld > 0, "back-pressure never engaged: the test proves nothing");
            Assert.True(heldRounds > 0);
            Assert.Equal(0, c.MessagesDropped);
            Assert.Equal(0, c.DroppedQueueFull);
            Assert.Equal(0, c.DroppedPoolFull);
            Assert.Equal(0, c.StalledDisconnects);
            Assert.Equal(total, delivered);
            for (int k = 0; k < pubs; k++)
            {
                Assert.Equal(per, nextSeen[k]);
            }

            Assert.Equal(0, net.Engine.Messages.Count);
            Assert.Equal(0, net.Engine.Messages.BytesUsed);
            Assert.Equal(0, net.Engine.Deliveries.Used);
            Assert.Equal(0, net.Engine.HeldPublishers);
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new Xunit.Sdk.XunitException(what);
            }
        }
    }
}
