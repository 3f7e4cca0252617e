using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandleUnsubscribeTests
    {
        [TestMethod]
        public void Unsubscribe_stops_delivery_and_is_acknowledged()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("news", 0);
            sub.Send(TestPackets.Unsubscribe(8, "news"));
            Assert.AreEqual((ushort)8, sub.ExpectAck(PacketType.Unsuback));
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("news", "late", 0, 0));
            sub.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Unsubscribe_of_an_unknown_filter_is_still_acknowledged()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("kept", 0);
            sub.Send(TestPackets.Unsubscribe(9, "never/subscribed"));
            Assert.AreEqual((ushort)9, sub.ExpectAck(PacketType.Unsuback));
            Assert.AreEqual(1, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Unsubscribe_removes_only_the_exact_filter_of_that_client()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient a = net.Connect("a", true);
            FakeClient b = net.Connect("b", true);
            a.Subscribe("t/#", 0);
            a.Subscribe("t/x", 0);
            b.Subscribe("t/x", 0);
            a.Send(TestPackets.Unsubscribe(1, "t/x"));
            a.ExpectAck(PacketType.Unsuback);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t/x", "still", 0, 0));
            a.ExpectPublish("t/x", "still", 0);
            b.ExpectPublish("t/x", "still", 0);
        }

        [TestMethod]
        public void Messages_already_in_flight_are_still_delivered_after_unsubscribe()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("q", 1);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("q", "m1", 1, 1));
            sub.Reading = true;
            sub.Send(TestPackets.Unsubscribe(2, "q"));
            sub.ExpectPublish("q", "m1", 1);
            sub.ExpectAck(PacketType.Unsuback);
        }
    }
}
