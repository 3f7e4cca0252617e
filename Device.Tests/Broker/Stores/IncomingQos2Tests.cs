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
        public void Full_table_holds_the_next_new_id_reads_pubrels_behind_it_and_never_forgets_one()
        {
            BrokerOptions o = TestOptions.Device();
            o.IncomingQos2PerSession = 4;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", true);
            for (ushort id = 1; id <= 4; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id.ToString(), 2, id));
                Assert.AreEqual(id, pub.ExpectAck(PacketType.Pubrec));
                sub.ExpectPublish();
            }

            // A fifth unreleased id does not fit: the PUBLISH is not taken (no PUBREC, not routed)...
            pub.Send(TestPackets.Publish("t", "m5", 2, 5));
            pub.ExpectNothing();
            sub.ExpectNothing();
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle));
            Assert.AreEqual(1, (int)net.Engine.Counters.HeldQos2Ids);
            // ...but the PUBREL behind it is read, and that makes room for it.
            pub.Send(TestPackets.Ack(PacketType.Pubrel, 1));
            Assert.AreEqual((ushort)1, pub.ExpectAck(PacketType.Pubcomp));
            Assert.AreEqual((ushort)5, pub.ExpectAck(PacketType.Pubrec));
            sub.ExpectPublish("t", "m5", 0);
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
            // Every unreleased id is still known: their resends are not routed again.
            for (ushort id = 2; id <= 5; id++)
            {
                pub.Send(TestPackets.Publish("t", "m" + id.ToString(), 2, id, false, true));
                Assert.AreEqual(id, pub.ExpectAck(PacketType.Pubrec));
            }

            sub.ExpectNothing();
            Assert.AreEqual(0, (int)net.Engine.Counters.MessagesDropped);
        }

        [TestMethod]
        public void Ids_are_kept_per_session_and_removed_in_any_order()
        {
            IncomingQos2 q = new IncomingQos2(2, 3);
            Assert.IsTrue(q.Add(0, 10));
            Assert.IsTrue(q.Add(0, 11));
            Assert.IsTrue(q.Add(0, 12));
            Assert.IsFalse(q.Contains(1, 10));
            Assert.IsTrue(q.Remove(0, 11));
            Assert.IsFalse(q.Remove(0, 11));
            Assert.IsTrue(q.Contains(0, 10) && q.Contains(0, 12));
            Assert.IsTrue(q.Add(0, 13));
            Assert.IsTrue(q.IsFull(0));
            Assert.IsFalse(q.Add(0, 14), "full: nothing is forgotten, the new id is refused");
            Assert.IsTrue(q.Contains(0, 10) && q.Contains(0, 12) && q.Contains(0, 13));
            Assert.IsFalse(q.Contains(0, 14));
            Assert.IsFalse(q.IsFull(1), "other sessions are unaffected");
        }
    }
}
