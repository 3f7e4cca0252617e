using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// The engine's promise under fan-in (Flow/BackPressure.cs): publishers that send at their own pace, limited only
    /// by their own window of 16 unacknowledged QoS 1/2 messages, to one subscriber that reads at a bounded pace.
    /// 100,000 messages on the Device and on the Host profile: back-pressure must engage, nothing acknowledged may be
    /// lost, QoS 2 arrives exactly once, nothing is dropped, nothing is allocated per message (after a warm-up, while
    /// publishers are being held), and the pool is empty at the end. Driven over the in-memory transport, no timings.
    /// </summary>
    public class FanInBurstTests
    {
        // What the subscriber decodes each PUBLISH into: one, reused (the burst is measured at 0 B). Tests of one
        // class run one at a time.
        private static readonly PublishView Decoded = new PublishView();

        private const int Total = 100_000;
        private const int Window = 16;

        private readonly ITestOutputHelper _output;

        public FanInBurstTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("Device", 1)]
        [InlineData("Device", 2)]
        [InlineData("Host", 1)]
        [InlineData("Host", 2)]
        public void Nothing_acknowledged_is_lost_in_a_100000_message_fan_in_burst(string profile, byte qos)
        {
            bool device = profile == "Device";
            BrokerOptions o = device ? BrokerOptions.Device() : BrokerOptions.Host();
            // The Device profile's own client limit; on the Host enough publishers (x 16) to outrun its queue of 1,000.
            int pubs = device ? o.MaxClients - 1 : 100;
            int per = (Total + pubs - 1) / pubs;
            int total = pubs * per;
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("fan/#", qos);
            sub.Reading = false;

            var fan = new FanInPublishers(net, pubs, per, qos);
            FakeClient[] publishers = fan.Clients;
            byte[][][] packets = fan.Packets;
            var sentCount = new int[pubs];
            var ackedCount = new int[pubs];
            var doneCount = new int[pubs];

            var delivered = new int[total];
            var qos2Unreleased = new bool[65536];
            var ack = new byte[AckPacket.Size];
            int deliveredCount = 0;
            int done = 0;
            // Two measured halves after a warm-up of 2,000 messages, by messages done: a cost per message shows in
            // both, a one-off first-use allocation (tiering, on a loaded machine) in one only.
            FloodHalves halves = new FloodHalves(2000, 2000 + (total - 2000) / 2);
            long heldRounds = 0;
            for (int round = 0; done < total; round++)
            {
                Check(round < 50 * total, "no progress");
                halves.At(done);

                // Each publisher fills its window.
                for (int k = 0; k < pubs; k++)
                {
                    FakeClient p = publishers[k];
                    while (sentCount[k] < per && sentCount[k] - doneCount[k] < Window)
                    {
                        p.Send(packets[k][sentCount[k]++]);
                    }

                    if (net.Engine.IsHeld(p.Handle))
                    {
                        heldRounds++;
                    }

                    while (p.TryNext(out FixedHeader h, out int off))
                    {
                        ushort pid = (ushort)((p.Inbox[off + 2] << 8) | p.Inbox[off + 3]);
                        if (h.Type == PacketType.Puback || h.Type == PacketType.Pubrec)
                        {
                            Check(pid == FanInPublishers.Id(ackedCount[k]), "acknowledgements in order");
                            ackedCount[k]++;
                            if (h.Type == PacketType.Puback)
                            {
                                doneCount[k]++;
                                done++;
                            }
                            else
                            {
                                Send(p, ack, PacketType.Pubrel, pid);
                            }
                        }
                        else
                        {
                            Check(h.Type == PacketType.Pubcomp, "unexpected packet to a publisher");
                            doneCount[k]++;
                            done++;
                        }
                    }
                }

                // The subscriber reads at most 2 KB a round and answers everything it read.
                sub.Drain(2048);
                while (sub.TryNext(out FixedHeader h, out int off))
                {
                    if (h.Type == PacketType.Publish)
                    {
                        PublishView v = Decoded;
                        PublishPacket.Decode(sub.Inbox, off, h, v);
                        int at = v.PayloadOffset;
                        int seq = (sub.Inbox[at] << 24) | (sub.Inbox[at + 1] << 16) | (sub.Inbox[at + 2] << 8) | sub.Inbox[at + 3];
                        if (qos == 1)
                        {
                            delivered[seq]++;
                            deliveredCount++;
                            Send(sub, ack, PacketType.Puback, v.PacketId);
                        }
                        else
                        {
                            // Method B of [MQTT-4.3.3-2]: deliver on the first PUBLISH of an id, not again until PUBREL.
                            if (!qos2Unreleased[v.PacketId])
                            {
                                qos2Unreleased[v.PacketId] = true;
                                delivered[seq]++;
                                deliveredCount++;
                            }

                            Send(sub, ack, PacketType.Pubrec, v.PacketId);
                        }
                    }
                    else
                    {
                        Check(h.Type == PacketType.Pubrel, "unexpected packet to the subscriber");
                        ushort pid = (ushort)((sub.Inbox[off + 2] << 8) | sub.Inbox[off + 3]);
                        qos2Unreleased[pid] = false;
                        Send(sub, ack, PacketType.Pubcomp, pid);
                    }
                }
            }

            long allocated = halves.Quieter();

            // What is still owed to the subscriber (acknowledged to publishers, not yet read) comes now.
            for (int round = 0; round < 100_000 && (deliveredCount < total || sub.Unread > 0 || net.Engine.Deliveries.Used > 0); round++)
            {
                sub.Drain(2048);
                while (sub.TryNext(out FixedHeader h, out int off))
                {
                    if (h.Type == PacketType.Publish)
                    {
                        PublishView v = Decoded;
                        PublishPacket.Decode(sub.Inbox, off, h, v);
                        int at = v.PayloadOffset;
                        int seq = (sub.Inbox[at] << 24) | (sub.Inbox[at + 1] << 16) | (sub.Inbox[at + 2] << 8) | sub.Inbox[at + 3];
                        if (qos == 1 || !qos2Unreleased[v.PacketId])
                        {
                            qos2Unreleased[v.PacketId] = qos == 2;
                            delivered[seq]++;
                            deliveredCount++;
                        }

                        Send(sub, ack, qos == 1 ? PacketType.Puback : PacketType.Pubrec, v.PacketId);
                    }
                    else
                    {
                        ushort pid = (ushort)((sub.Inbox[off + 2] << 8) | sub.Inbox[off + 3]);
                        qos2Unreleased[pid] = false;
                        Send(sub, ack, PacketType.Pubcomp, pid);
                    }
                }

                net.Pump();
            }

            Counters c = net.Engine.Counters;
            _output.WriteLine(profile + " profile, QoS " + qos + ": " + pubs + " publishers x " + per + " (window " + Window + ") = " + total
                + " acknowledged; subscriber got " + deliveredCount + "; publishes held " + c.PublishesHeld + " times (queue full "
                + c.HeldQueueFull + ", pool full " + c.HeldPoolFull + "), held in " + heldRounds + " publisher-rounds; dropped "
                + c.MessagesDropped + "; stalled cuts " + c.StalledDisconnects + "; allocated after warm-up " + allocated + " bytes");

            Assert.Equal(0, allocated);
            Assert.True(c.PublishesHeld > 0, "back-pressure never engaged: the test proves nothing");
            Assert.Equal(0, c.MessagesDropped);
            Assert.Equal(0, c.StalledDisconnects);
            Assert.Equal(total, deliveredCount);
            for (int seq = 0; seq < total; seq++)
            {
                Check(delivered[seq] == 1, "message " + seq + " delivered " + delivered[seq] + " times");
            }

            Assert.Equal(0, net.Engine.Messages.Count);
            Assert.Equal(0, net.Engine.Messages.BytesUsed);
            Assert.Equal(0, net.Engine.Deliveries.Used);
            Assert.Equal(0, net.Engine.HeldPublishers);
        }

        private static void Send(FakeClient c, byte[] ack, byte type, ushort id)
        {
            AckPacket.Encode(ack, 0, ack.Length, type, id);
            c.Send(ack);
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
