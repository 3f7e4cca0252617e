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
            const int Qos0Sent = 5;
            const int Qos1Sent = 8;
            for (int i = 0; i < Qos0Sent; i++)
            {
                pub.Send(TestPackets.Publish("z", big, 0, 0));
            }

            for (int i = 0; i < Qos1Sent; i++)
            {
                pub.Send(TestPackets.Publish("q", big, 1, (ushort)(i + 1)));
                Assert.AreEqual((ushort)(i + 1), pub.ExpectAck(PacketType.Puback), "the publisher's message is acknowledged");
            }

            Assert.IsTrue(k.DroppedTxFull > 0, "QoS 0 into a full buffer");
            Assert.IsTrue(k.DroppedQueueFull > 0 || k.DroppedStoreFull > 0, "QoS 1 beyond queue or store");

            // The subscriber reads again and acknowledges each QoS 1 message, so whatever waited comes out.
            slow.Reading = true;
            net.Pump();
            int qos0Received = 0;
            int qos1Received = 0;
            FixedHeader h;
            int offset;
            while (slow.TryNext(out h, out offset))
            {
                Assert.AreEqual(PacketType.Publish, h.Type, "only PUBLISH is owed to the subscriber");
                PublishView v;
                Assert.AreEqual(DecodeResult.Ok, PublishPacket.Decode(slow.Inbox, offset, h, out v));
                Assert.AreEqual(big, slow.Text(v.Payload), "payload");
                if (v.Qos == 0)
                {
                    Assert.AreEqual("z", slow.Text(v.Topic));
                    qos0Received++;
                }
                else
                {
                    Assert.AreEqual("q", slow.Text(v.Topic));
                    qos1Received++;
                    slow.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                }
            }

            Assert.IsTrue(qos0Received > 0 && qos1Received > 0, "some of each got through");
            Assert.AreEqual((long)(Qos0Sent - qos0Received), k.DroppedTxFull, "QoS 0 missed = dropped for a full buffer");
            Assert.AreEqual((long)(Qos1Sent - qos1Received), k.DroppedQueueFull + k.DroppedStoreFull, "QoS 1 missed = dropped for queue or store");
            Assert.AreEqual((long)(Qos0Sent + Qos1Sent - qos0Received - qos1Received), k.MessagesDropped, "every missed delivery counted once");
            Assert.AreEqual(k.DroppedTxFull + k.DroppedQueueFull + k.DroppedStoreFull, k.MessagesDropped);
            Assert.AreEqual(0, k.StoredMessages, "nothing left once all is acknowledged");
        }
    }
}
