using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MessageQueueTests
    {
        [TestMethod]
        public void Persistent_session_queues_qos1_and_qos2_while_away_and_delivers_them_on_return()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Send(TestPackets.Subscribe(1, new string[] { "q1", "q2" }, new byte[] { 1, 2 }));
            sub.ExpectSuback(1);
            sub.Send(TestPackets.Disconnect());

            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("q1", "a", 1, 1));
            pub.Send(TestPackets.Publish("q2", "b", 2, 2));
            pub.Send(TestPackets.Publish("q1", "c", 1, 3));
            pub.Send(TestPackets.Publish("q1", "zero", 0, 0));

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(spec));
            ConnackView ack = back.ExpectConnack();
            Assert.IsTrue(ack.SessionPresent, "[MQTT-3.2.2-2]");
            Assert.IsFalse(back.ExpectPublish("q1", "a", 1).Dup, "never sent before: no DUP");
            back.ExpectPublish("q2", "b", 2);
            back.ExpectPublish("q1", "c", 1);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Full_offline_queue_refuses_the_newest_message_and_counts_it()
        {
            BrokerOptions o = TestOptions.Device();
            o.QueuePerSession = 3;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 1);
            sub.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 5; i++)
            {
                pub.Send(TestPackets.Publish("t", "m" + i.ToString(), 1, (ushort)(i + 1)));
                pub.ExpectAck(PacketType.Puback);
            }

            Assert.AreEqual(2, (int)net.Engine.Counters.DroppedQueueFull);
            Assert.AreEqual(2, (int)net.Engine.Counters.MessagesDropped);
            FakeClient back = net.Connect("p", false);
            back.ExpectPublish("t", "m0", 1);
            back.ExpectPublish("t", "m1", 1);
            back.ExpectPublish("t", "m2", 1);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Clean_session_leaves_nothing_behind()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("c", true);
            c.Subscribe("t", 1);
            c.Send(TestPackets.Disconnect());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "nobody", 1, 1));
            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(new ConnectSpec("c")));
            Assert.IsFalse(back.ExpectConnack().SessionPresent);
            back.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Messages.Count);
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Clean_connect_discards_a_stored_persistent_session()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient p = net.Connect("p", false);
            p.Subscribe("t", 1);
            p.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "queued", 1, 1));
            Assert.AreEqual(1, net.Engine.Messages.Count);

            FakeClient clean = net.Open();
            clean.Send(TestPackets.Connect(new ConnectSpec("p")));
            Assert.IsFalse(clean.ExpectConnack().SessionPresent);
            clean.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Messages.Count);
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
            clean.Send(TestPackets.Disconnect());

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient fresh = net.Open();
            fresh.Send(TestPackets.Connect(spec));
            Assert.IsFalse(fresh.ExpectConnack().SessionPresent, "the old session is gone for good");
        }

        [TestMethod]
        public void Queue_ring_keeps_order_across_wraparound()
        {
            MessageStore store = new MessageStore(16, 256);
            MessageQueue q = new MessageQueue(2, 3);
            byte[] t = TestPackets.Bytes("t");
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < 3; i++)
                {
                    int m = store.Add(t, 0, 1, t, 0, 0);
                    Assert.IsTrue(q.Push(1, m, (byte)(i % 3), i == 1));
                }

                Assert.IsFalse(q.Push(1, 0, 1, false), "full");
                for (int i = 0; i < 3; i++)
                {
                    Assert.AreEqual((byte)(i % 3), q.PeekQos(1));
                    Assert.AreEqual(i == 1, q.PeekRetain(1));
                    store.Release(q.PeekMessage(1));
                    q.Pop(1);
                }
            }

            Assert.AreEqual(0, q.Count(1));
            Assert.AreEqual(0, store.Count);
        }
    }
}
