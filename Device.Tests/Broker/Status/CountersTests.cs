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

        /// <summary>
        /// The drop counters against the deliveries the subscriber really missed: everything it did not receive
        /// once it reads again and acknowledges all it got is counted under exactly one reason.
        /// </summary>
        [TestMethod]
        public void Dropped_counters_match_the_deliveries_the_subscriber_missed()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxQueuedMessages = 1;
            FakeNet net = new FakeNet(o);
            Counters k = net.Engine.Counters;
            FakeClient away = net.Connect("away", false);
            away.Subscribe("q", 1);
            away.Subscribe("z", 0);
            away.DropNetwork();
            FakeClient clean = net.Connect("clean", true);
            clean.Subscribe("q", 1);
            clean.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("z", "zero", 0, 0));
            for (int i = 0; i < 3; i++)
            {
                pub.Send(TestPackets.Publish("q", "one", 1, (ushort)(i + 1)));
                pub.ExpectAck(PacketType.Puback);
            }

            // The clean session goes with three undelivered messages (written, never acknowledged).
            clean.DropNetwork();
            Assert.AreEqual(1, (int)k.DroppedOfflineQos0, "QoS 0 is not kept offline");
            Assert.AreEqual(2, (int)k.DroppedQueueFull, "offline queue of one");
            Assert.AreEqual(3, (int)k.DroppedWithSession, "a clean session's messages end with it");
            Assert.AreEqual(k.DroppedOfflineQos0 + k.DroppedQueueFull + k.DroppedPoolFull + k.DroppedWithSession, k.MessagesDropped);
        }
    }
}
