using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class RetainedTests
    {
        [TestMethod]
        public void New_subscriber_gets_the_retained_message_with_the_retain_flag_after_suback()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("state/door", "open", 1, 1, true, false));
            pub.ExpectAck(PacketType.Puback);
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(2, "state/#", 1));
            sub.ExpectSuback(2);
            PublishView v = sub.ExpectPublish("state/door", "open", 1);
            Assert.IsTrue(v.Retain, "[MQTT-3.3.1-6]");
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Retained_publish_replaces_the_topics_previous_message()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "old", 0, 0, true, false));
            pub.Send(TestPackets.Publish("t", "new", 0, 0, true, false));
            Assert.AreEqual(1, net.Engine.Retained.Count);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            Assert.IsTrue(sub.ExpectPublish("t", "new", 0).Retain);
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Empty_retained_payload_deletes_the_message_and_is_still_forwarded()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient live = net.Connect("live", true);
            live.Subscribe("t", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "x", 0, 0, true, false));
            live.ExpectPublish("t", "x", 0);
            pub.Send(TestPackets.Publish("t", "", 0, 0, true, false));
            Assert.IsFalse(live.ExpectPublish("t", "", 0).Retain);
            Assert.AreEqual(0, net.Engine.Retained.Count);
            Assert.AreEqual(0, net.Engine.Counters.RetainedMessages);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Retained_delivery_uses_the_lower_of_stored_and_granted_qos()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a", "q2", 2, 1, true, false));
            pub.Send(TestPackets.Publish("b", "q0", 0, 0, true, false));
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("a", 1);
            sub.ExpectPublish("a", "q2", 1);
            sub.Subscribe("b", 2);
            sub.ExpectPublish("b", "q0", 0);
        }

        [TestMethod]
        public void Resubscribing_sends_the_retained_messages_again()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r", "v", 0, 0, true, false));
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("r", 0);
            sub.ExpectPublish("r", "v", 0);
            sub.Subscribe("r", 0);
            sub.ExpectPublish("r", "v", 0);
        }

        [TestMethod]
        public void New_retained_topic_is_refused_when_slots_are_full_and_the_others_stay_intact()
        {
            BrokerOptions o = TestOptions.Device();
            o.RetainedSlots = 2;
            FakeNet net = new FakeNet(o);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r/1", "one", 0, 0, true, false));
            pub.Send(TestPackets.Publish("r/2", "two", 0, 0, true, false));
            pub.Send(TestPackets.Publish("r/3", "three", 0, 0, true, false));
            Assert.AreEqual(1, (int)net.Engine.Counters.RetainedRefused);
            // A topic already stored can still be replaced.
            pub.Send(TestPackets.Publish("r/2", "deux", 0, 0, true, false));
            Assert.AreEqual(1, (int)net.Engine.Counters.RetainedRefused);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("r/+", 0);
            ExpectRetainedSet(sub, "r/1", "one", "r/2", "deux");
        }

        [TestMethod]
        public void New_retained_topic_is_refused_when_bytes_are_full_and_the_others_stay_intact()
        {
            BrokerOptions o = TestOptions.Device();
            o.RetainedBytes = 40;
            FakeNet net = new FakeNet(o);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("k/a", TestPackets.Repeat('a', 15), 0, 0, true, false));
            pub.Send(TestPackets.Publish("k/b", TestPackets.Repeat('b', 15), 0, 0, true, false));
            pub.Send(TestPackets.Publish("k/c", "cc", 0, 0, true, false));
            Assert.AreEqual(1, (int)net.Engine.Counters.RetainedRefused);
            // Replacing with something too big is refused too, and the old value stays.
            pub.Send(TestPackets.Publish("k/a", TestPackets.Repeat('A', 30), 0, 0, true, false));
            Assert.AreEqual(2, (int)net.Engine.Counters.RetainedRefused);
            // Deleting frees room, and compaction makes it usable for a new topic.
            pub.Send(TestPackets.Publish("k/a", "", 0, 0, true, false));
            pub.Send(TestPackets.Publish("k/d", TestPackets.Repeat('d', 18), 0, 0, true, false));
            Assert.AreEqual(2, (int)net.Engine.Counters.RetainedRefused);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("k/+", 0);
            ExpectRetainedSet(sub, "k/b", TestPackets.Repeat('b', 15), "k/d", TestPackets.Repeat('d', 18));
        }

        [TestMethod]
        public void Store_replaces_in_place_and_survives_compaction()
        {
            Retained r = new Retained(4, 24);
            byte[] b = TestPackets.Bytes("t1t2t3xxxxyyyyzzzz");
            Assert.AreEqual((int)RetainResult.Stored, (int)r.Set(b, 0, 2, b, 6, 4, 0));
            Assert.AreEqual((int)RetainResult.Stored, (int)r.Set(b, 2, 2, b, 10, 4, 1));
            Assert.AreEqual((int)RetainResult.Stored, (int)r.Set(b, 4, 2, b, 14, 4, 2));
            Assert.AreEqual((int)RetainResult.Deleted, (int)r.Set(b, 0, 2, b, 0, 0, 0));
            Assert.AreEqual((int)RetainResult.NothingToDelete, (int)r.Set(b, 0, 2, b, 0, 0, 0));
            // 12 bytes used, 12 free but split by the hole: the new one only fits after compaction.
            Assert.AreEqual((int)RetainResult.Stored, (int)r.Set(b, 0, 2, b, 6, 10, 1));
            Assert.AreEqual((int)RetainResult.Refused, (int)r.Set(b, 2, 2, b, 6, 12, 1));
            int s2 = r.Find(b, 2, 2);
            int s3 = r.Find(b, 4, 2);
            Assert.AreEqual("yyyy", Utf8.Decode(r.Data, r.PayloadOffset(s2), r.PayloadLength(s2)));
            Assert.AreEqual("zzzz", Utf8.Decode(r.Data, r.PayloadOffset(s3), r.PayloadLength(s3)));
            Assert.AreEqual((byte)2, r.Qos(s3));
            Assert.AreEqual(3, r.Count);
        }

        /// <summary>Two retained messages in either order (the store's slot order is not a promise).</summary>
        private static void ExpectRetainedSet(FakeClient sub, string t1, string p1, string t2, string p2)
        {
            PublishView a = sub.ExpectPublish();
            PublishView b = sub.ExpectPublish();
            sub.ExpectNothing();
            Assert.IsTrue(a.Retain && b.Retain);
            string ta = sub.Text(a.TopicOffset, a.TopicLength);
            if (ta == t2)
            {
                PublishView x = a;
                a = b;
                b = x;
            }

            Assert.AreEqual(t1, sub.Text(a.TopicOffset, a.TopicLength));
            Assert.AreEqual(p1, sub.Text(a.PayloadOffset, a.PayloadLength));
            Assert.AreEqual(t2, sub.Text(b.TopicOffset, b.TopicLength));
            Assert.AreEqual(p2, sub.Text(b.PayloadOffset, b.PayloadLength));
        }
    }
}
