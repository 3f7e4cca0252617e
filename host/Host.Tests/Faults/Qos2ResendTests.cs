using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// A publisher that resends QoS 2 PUBLISHes (DUP) before releasing them, as a client does after a reconnect.
    /// Within the engine's table of unreleased ids (IncomingQos2PerSession) no resend is routed twice. Changed with
    /// issue 10: beyond the table the oldest id used to be forgotten (and a resend of it routed twice, reported, not
    /// asserted); now no id is ever forgotten before its PUBREL: the next new QoS 2 PUBLISH is held while PUBRELs are
    /// still read, and the test asserts exactly once with more unreleased ids than the table holds.
    /// </summary>
    public class Qos2ResendTests
    {
        private readonly ITestOutputHelper _output;

        public Qos2ResendTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Resent_qos2_publishes_within_the_id_table_are_routed_once()
        {
            BrokerOptions o = BrokerOptions.Device();
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", true);

            for (ushort id = 1; id <= o.IncomingQos2PerSession; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id, 2, id));
                Assert.Equal(id, pub.ExpectAck(PacketType.Pubrec));
                sub.ExpectPublish("t", "m" + id, 0);
            }

            for (ushort id = 1; id <= o.IncomingQos2PerSession; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id, 2, id, false, true));
                Assert.Equal(id, pub.ExpectAck(PacketType.Pubrec));
            }

            sub.ExpectNothing();
            for (ushort id = 1; id <= o.IncomingQos2PerSession; id++)
            {
                pub.Send(TestPackets.Ack(PacketType.Pubrel, id));
                Assert.Equal(id, pub.ExpectAck(PacketType.Pubcomp));
            }

            Assert.Equal(0, net.Engine.Counters.HeldQos2Ids);
        }

        [Fact]
        public void Beyond_the_id_table_qos2_is_still_exactly_once_the_publisher_waits_for_its_pubrels()
        {
            BrokerOptions o = BrokerOptions.Device();
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            ConnectSpec spec = new ConnectSpec("pub") { CleanSession = false };
            FakeClient pub = net.Connect(spec);

            // Three times the table, pipelined without a PUBREL: the table's worth is taken, the next one waits.
            int unreleased = o.IncomingQos2PerSession * 3;
            for (ushort id = 1; id <= unreleased; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id, 2, id));
            }

            for (ushort id = 1; id <= o.IncomingQos2PerSession; id++)
            {
                Assert.Equal(id, pub.ExpectAck(PacketType.Pubrec));
            }

            pub.ExpectNothing();
            Assert.True(net.Engine.IsHeld(pub.Handle), "the table is full: the next new id waits");
            var routed = new int[unreleased + 1];
            CountRouted(sub, routed);

            // The connection dies before any PUBREL; the client comes back and resends every PUBLISH with DUP (it
            // may have missed the PUBRECs), answering each PUBREC with PUBREL as it arrives.
            pub.DropNetwork();
            pub = net.Connect(spec);
            for (ushort id = 1; id <= unreleased; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id, 2, id, false, true));
            }

            var completed = new bool[unreleased + 1];
            for (int round = 0; round < 10 * unreleased; round++)
            {
                while (pub.TryNext(out FixedHeader h, out int off))
                {
                    ushort pid = (ushort)((pub.Inbox[off + 2] << 8) | pub.Inbox[off + 3]);
                    if (h.Type == PacketType.Pubrec)
                    {
                        pub.Send(TestPackets.Ack(PacketType.Pubrel, pid));
                    }
                    else
                    {
                        Assert.Equal(PacketType.Pubcomp, h.Type);
                        completed[pid] = true;
                    }
                }

                CountRouted(sub, routed);
                net.Pump();
            }

            for (int id = 1; id <= unreleased; id++)
            {
                Assert.True(routed[id] == 1, "message " + id + " routed " + routed[id] + " times");
                Assert.True(completed[id], "id " + id + " never completed");
            }

            Assert.False(net.Engine.IsHeld(pub.Handle));
            Assert.True(net.Engine.Counters.HeldQos2Ids > 1);
            Assert.Equal(0, net.Engine.Counters.MessagesDropped);
            _output.WriteLine(unreleased + " unreleased QoS 2 PUBLISHes (all resent with DUP after a reconnect) with a table of "
                + o.IncomingQos2PerSession + ": each routed exactly once; the publisher was held " + net.Engine.Counters.HeldQos2Ids
                + " time(s) for its own PUBRELs, which were read behind the held PUBLISH");
        }

        private static void CountRouted(FakeClient sub, int[] routed)
        {
            while (sub.Unread > 0)
            {
                { PublishView m = sub.ExpectPublish(); routed[int.Parse(sub.Text(m.PayloadOffset, m.PayloadLength).Substring(1))]++; }
            }
        }
    }
}
