using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class CountersTests
    {
        [TestMethod]
        public void Counters_follow_clients_messages_bytes_subscriptions_and_retained()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            Counters k = net.Engine.Counters;
            FakeClient sub = net.Connect("sub", true);
            FakeClient pub = net.Connect("pub", false);
            Assert.AreEqual(2, k.ClientsConnected);
            Assert.AreEqual(1, k.PersistentSessions);

            sub.Send(TestPackets.Subscribe(1, new string[] { "a", "b" }, new byte[] { 0, 1 }));
            sub.ExpectSuback(1);
            Assert.AreEqual(2, k.Subscriptions);

            byte[] p1 = TestPackets.Publish("a", "12345", 0, 0, true, false);
            byte[] p2 = TestPackets.Publish("b", "6789", 1, 1);
            pub.Send(p1);
            pub.Send(p2);
            sub.ExpectPublish();
            sub.ExpectPublish();
            Assert.AreEqual(2, (int)k.MessagesReceived);
            Assert.AreEqual(2, (int)k.MessagesSent);
            Assert.AreEqual(1, k.RetainedMessages);

            // Every byte both clients sent, and every byte the engine wrote and the transport took.
            long expectedIn = TestPackets.Connect(new ConnectSpec("sub")).Length + TestPackets.Connect(new ConnectSpec("pub")).Length
                + TestPackets.Subscribe(1, new string[] { "a", "b" }, new byte[] { 0, 1 }).Length + p1.Length + p2.Length;
            Assert.AreEqual(expectedIn, k.BytesReceived);
            long expectedOut = 4 + 4 + 6 + p1.Length + p2.Length + 4;
            Assert.AreEqual(expectedOut, k.BytesSent, "2 CONNACK, SUBACK(2 codes), 2 PUBLISH, PUBACK");

            sub.Send(TestPackets.Unsubscribe(2, "a"));
            Assert.AreEqual(1, k.Subscriptions);
            sub.DropNetwork();
            Assert.AreEqual(1, k.ClientsConnected);
            Assert.AreEqual(0, k.Subscriptions);
        }

        [TestMethod]
        public void Dropped_total_is_the_sum_of_its_reasons()
        {
            BrokerOptions o = TestOptions.Device();
            o.QueuePerSession = 1;
            o.MessageSlots = 2;
            FakeNet net = new FakeNet(o);
            Counters k = net.Engine.Counters;
            FakeClient slow = net.Connect("slow", false);
            slow.Subscribe("q", 1);
            slow.Subscribe("z", 0);
            slow.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            string big = TestPackets.Repeat('z', 300);
            for (int i = 0; i < 5; i++)
            {
                pub.Send(TestPackets.Publish("z", big, 0, 0));
            }

            for (int i = 0; i < 8; i++)
            {
                pub.Send(TestPackets.Publish("q", big, 1, 1));
            }

            Assert.IsTrue(k.DroppedTxFull > 0, "QoS 0 into a full buffer");
            Assert.IsTrue(k.DroppedQueueFull > 0 || k.DroppedStoreFull > 0, "QoS 1 beyond queue or store");
            Assert.AreEqual(k.DroppedTxFull + k.DroppedQueueFull + k.DroppedStoreFull, k.MessagesDropped);
        }
    }
}
