using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// A publisher that resends QoS 2 PUBLISHes (DUP) before releasing them, as a client does after a reconnect.
    /// Within the engine's table of unreleased ids (IncomingQos2PerSession) no resend is routed twice. Beyond it the
    /// oldest id is forgotten by design (IncomingQos2.cs) and counted; what a resend of that id then does is
    /// reported here and in docs/RELIABILITY.md, not asserted, since it is the engine's documented trade-off.
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

            Assert.Equal(0, net.Engine.Counters.Qos2IdsEvicted);
        }

        [Fact]
        public void Beyond_the_id_table_the_oldest_id_is_forgotten_and_counted()
        {
            BrokerOptions o = BrokerOptions.Device();
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", true);

            int unreleased = o.IncomingQos2PerSession + 1;
            for (ushort id = 1; id <= unreleased; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id, 2, id));
                pub.ExpectAck(PacketType.Pubrec);
                sub.ExpectPublish("t", "m" + id, 0);
            }

            Assert.Equal(1, net.Engine.Counters.Qos2IdsEvicted);

            // The newest ids are still remembered: their resends are not routed again.
            pub.Send(TestPackets.Publish("t", "m" + unreleased, 2, (ushort)unreleased, false, true));
            pub.ExpectAck(PacketType.Pubrec);
            sub.ExpectNothing();

            pub.Send(TestPackets.Publish("t", "m1", 2, 1, false, true));
            pub.ExpectAck(PacketType.Pubrec);
            int again = 0;
            while (sub.Unread > 0)
            {
                sub.ExpectPublish("t", "m1", 0);
                again++;
            }

            _output.WriteLine(unreleased + " unreleased QoS 2 PUBLISHes with a table of " + o.IncomingQos2PerSession + ": 1 id evicted (counted); "
                + "a DUP resend of the evicted id 1 was routed again " + again + " time(s)");
        }
    }
}
