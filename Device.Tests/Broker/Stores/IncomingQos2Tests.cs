using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class IncomingQos2Tests
    {
        [TestMethod]
        public void Remembered_id_survives_a_reconnect_of_a_persistent_session()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", false);
            pub.Send(TestPackets.Publish("t", "once", 2, 9));
            pub.ExpectAck(PacketType.Pubrec);
            sub.ExpectPublish("t", "once", 0);
            pub.DropNetwork();

            FakeClient again = net.Connect("pub", false);
            again.Send(TestPackets.Publish("t", "once", 2, 9, false, true));
            Assert.AreEqual((ushort)9, again.ExpectAck(PacketType.Pubrec));
            sub.ExpectNothing();
            again.Send(TestPackets.Ack(PacketType.Pubrel, 9));
            Assert.AreEqual((ushort)9, again.ExpectAck(PacketType.Pubcomp));
        }

        [TestMethod]
        public void Full_table_forgets_the_oldest_id_and_counts_it()
        {
            BrokerOptions o = TestOptions.Device();
            o.IncomingQos2PerSession = 4;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", true);
            // 4 ids remembered; a fifth unreleased one pushes out the first.
            for (ushort id = 1; id <= 5; id++)
            {
                pub.Send(TestPackets.Publish("t", "m", 2, id));
                pub.ExpectAck(PacketType.Pubrec);
                sub.ExpectPublish();
            }

            Assert.AreEqual(1, (int)net.Engine.Counters.Qos2IdsEvicted);
            pub.Send(TestPackets.Publish("t", "m", 2, 5, false, true));
            pub.ExpectAck(PacketType.Pubrec);
            sub.ExpectNothing();
            // Id 1 was forgotten: a repeat of it is taken as a new message. This is the documented trade-off.
            pub.Send(TestPackets.Publish("t", "m", 2, 1, false, true));
            pub.ExpectAck(PacketType.Pubrec);
            sub.ExpectPublish();
        }

        [TestMethod]
        public void Ids_are_kept_per_session_and_removed_in_any_order()
        {
            IncomingQos2 q = new IncomingQos2(2, 3);
            Assert.IsFalse(q.Add(0, 10));
            Assert.IsFalse(q.Add(0, 11));
            Assert.IsFalse(q.Add(0, 12));
            Assert.IsFalse(q.Contains(1, 10));
            Assert.IsTrue(q.Remove(0, 11));
            Assert.IsFalse(q.Remove(0, 11));
            Assert.IsTrue(q.Contains(0, 10) && q.Contains(0, 12));
            Assert.IsFalse(q.Add(0, 13));
            Assert.IsTrue(q.Add(0, 14), "full: the oldest (10) goes");
            Assert.IsFalse(q.Contains(0, 10));
            Assert.IsTrue(q.Contains(0, 12) && q.Contains(0, 13) && q.Contains(0, 14));
        }
    }
}
