using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class InflightTests
    {
        [TestMethod]
        public void Unacknowledged_publish_is_resent_with_dup_after_reconnect()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "one", 1, 1));
            pub.Send(TestPackets.Publish("t", "two", 1, 2));
            PublishView first = sub.ExpectPublish("t", "one", 1);
            PublishView second = sub.ExpectPublish("t", "two", 1);
            Assert.IsFalse(first.Dup);
            sub.DropNetwork();

            FakeClient again = net.Open();
            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            again.Send(TestPackets.Connect(spec));
            Assert.IsTrue(again.ExpectConnack().SessionPresent);
            PublishView r1 = again.ExpectPublish("t", "one", 1);
            PublishView r2 = again.ExpectPublish("t", "two", 1);
            Assert.IsTrue(r1.Dup, "[MQTT-3.3.1-1] redelivery carries DUP");
            Assert.IsTrue(r2.Dup);
            Assert.AreEqual(first.PacketId, r1.PacketId, "same packet id on redelivery");
            Assert.AreEqual(second.PacketId, r2.PacketId);
            again.ExpectNothing();
            again.Send(TestPackets.Ack(PacketType.Puback, r1.PacketId));
            again.Send(TestPackets.Ack(PacketType.Puback, r2.PacketId));
            Assert.AreEqual(0, net.Engine.InflightFor(net.Engine.SessionOf(again.Handle)));
        }

        [TestMethod]
        public void Pending_pubrel_is_resent_after_reconnect()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 2);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "x", 2, 1));
            ushort id = sub.ExpectPublish("t", "x", 2).PacketId;
            sub.Send(TestPackets.Ack(PacketType.Pubrec, id));
            Assert.AreEqual(id, sub.ExpectAck(PacketType.Pubrel));
            sub.DropNetwork();

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient again = net.Open();
            again.Send(TestPackets.Connect(spec));
            Assert.IsTrue(again.ExpectConnack().SessionPresent);
            Assert.AreEqual(id, again.ExpectAck(PacketType.Pubrel), "PUBREL, not the PUBLISH, is owed");
            again.ExpectNothing();
            again.Send(TestPackets.Ack(PacketType.Pubcomp, id));
            Assert.AreEqual(0, net.Engine.InflightFor(net.Engine.SessionOf(again.Handle)));
        }

        [TestMethod]
        public void Resends_keep_their_original_order_ahead_of_queued_messages()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("o", 1);
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 4; i++)
            {
                pub.Send(TestPackets.Publish("o", "m" + i.ToString(), 1, 1));
            }

            ushort id0 = sub.ExpectPublish().PacketId;
            sub.ExpectPublish();
            sub.ExpectPublish();
            sub.ExpectPublish();
            // The oldest is acknowledged, so a later message takes the freed slot: resends must still come in
            // the order the messages were first sent.
            sub.Send(TestPackets.Ack(PacketType.Puback, id0));
            pub.Send(TestPackets.Publish("o", "m4", 1, 1));
            sub.ExpectPublish("o", "m4", 1);
            sub.DropNetwork();
            pub.Send(TestPackets.Publish("o", "m5", 1, 1));

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient again = net.Open();
            again.Send(TestPackets.Connect(spec));
            again.ExpectConnack();
            for (int i = 1; i <= 4; i++)
            {
                Assert.IsTrue(again.ExpectPublish("o", "m" + i.ToString(), 1).Dup);
            }

            again.ExpectNothing();
            Assert.AreEqual(1, net.Engine.QueuedFor(net.Engine.SessionOf(again.Handle)), "m5 waits for a free slot");
        }

        [TestMethod]
        public void Inflight_store_hands_out_distinct_ids_and_frees_slots()
        {
            Inflight f = new Inflight(2, 3);
            int a = f.Add(1, 10, Inflight.AwaitPuback, false);
            int b = f.Add(1, 11, Inflight.AwaitPubrec, true);
            int c = f.Add(1, 12, Inflight.AwaitPuback, false);
            Assert.AreEqual(-1, f.Add(1, 13, Inflight.AwaitPuback, false), "cap reached");
            Assert.IsTrue(f.HasFree(0), "other sessions are unaffected");
            Assert.AreNotEqual(f.PacketId(a), f.PacketId(b));
            Assert.AreNotEqual(f.PacketId(b), f.PacketId(c));
            Assert.AreEqual(b, f.Find(1, f.PacketId(b)));
            Assert.AreEqual(-1, f.Find(0, f.PacketId(b)), "ids are per session");
            f.Remove(b);
            Assert.AreEqual(2, f.Count(1));
            Assert.AreEqual(-1, f.Find(1, f.PacketId(b)));
        }
    }
}
