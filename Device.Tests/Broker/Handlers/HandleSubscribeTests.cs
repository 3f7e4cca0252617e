using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandleSubscribeTests
    {
        [TestMethod]
        [DataRow("a/+/c", "a/b/c", true)]
        [DataRow("a/+/c", "a//c", true)]
        [DataRow("a/+/c", "a/b/d/c", false)]
        [DataRow("a/#", "a", true)]
        [DataRow("a/#", "a/b/c", true)]
        [DataRow("a/#", "ab", false)]
        [DataRow("#", "any/thing", true)]
        [DataRow("+", "a/b", false)]
        [DataRow("#", "$app/uptime", false)]
        [DataRow("+/uptime", "$app/uptime", false)]
        [DataRow("$app/#", "$app/uptime", true)]
        public void Filter_receives_exactly_the_topics_it_matches(string filter, string topic, bool delivered)
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe(filter, 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish(topic, "p", 0, 0));
            if (delivered)
            {
                sub.ExpectPublish(topic, "p", 0);
            }

            sub.ExpectNothing();
        }

        [TestMethod]
        public void Repeated_filter_replaces_the_granted_qos()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("r/q", 2);
            sub.Subscribe("r/q", 0);
            Assert.AreEqual(1, net.Engine.Subscriptions.Count);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r/q", "once", 2, 1));
            sub.ExpectPublish("r/q", "once", 0);
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Granted_qos_is_capped_by_the_configured_maximum()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxQos = 1;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(5, new string[] { "x", "y", "z" }, new byte[] { 2, 1, 0 }));
            CollectionAssert.AreEqual(new byte[] { 1, 1, 0 }, sub.ExpectSuback(5));
        }

        [TestMethod]
        public void Overlapping_subscriptions_deliver_one_copy_at_the_highest_granted_qos()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(3, new string[] { "home/#", "home/+/temp", "home/kitchen/temp" }, new byte[] { 0, 2, 1 }));
            CollectionAssert.AreEqual(new byte[] { 0, 2, 1 }, sub.ExpectSuback(3));
            FakeClient pub = net.Connect("pub", true);

            pub.Send(TestPackets.Publish("home/kitchen/temp", "21", 2, 1));
            sub.ExpectPublish("home/kitchen/temp", "21", 2);
            sub.ExpectNothing();

            pub.Send(TestPackets.Publish("home/kitchen/temp", "22", 1, 2));
            sub.ExpectPublish("home/kitchen/temp", "22", 1);
            sub.ExpectNothing();

            pub.Send(TestPackets.Publish("home/door", "open", 2, 3));
            sub.ExpectPublish("home/door", "open", 0);
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Subscription_beyond_the_per_client_limit_gets_0x80()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxSubscriptionsPerClient = 2;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(1, new string[] { "a", "b", "c" }, new byte[] { 1, 1, 1 }));
            CollectionAssert.AreEqual(new byte[] { 1, 1, SubackCode.Failure }, sub.ExpectSuback(1));
            // Replacing an existing filter needs no new entry.
            sub.Send(TestPackets.Subscribe(2, "a", 2));
            CollectionAssert.AreEqual(new byte[] { 2 }, sub.ExpectSuback(2));
            Assert.AreEqual(1, (int)net.Engine.Counters.SubscriptionsRefused);
            Assert.AreEqual(2, net.Engine.Counters.Subscriptions);
        }

        [TestMethod]
        public void Subscription_beyond_the_table_limit_gets_0x80()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxSubscriptions = 3;
            FakeNet net = new FakeNet(o);
            FakeClient a = net.Connect("a", true);
            a.Send(TestPackets.Subscribe(1, new string[] { "a1", "a2" }, new byte[] { 0, 0 }));
            a.ExpectSuback(1);
            FakeClient b = net.Connect("b", true);
            b.Send(TestPackets.Subscribe(1, new string[] { "b1", "b2" }, new byte[] { 0, 0 }));
            CollectionAssert.AreEqual(new byte[] { 0, SubackCode.Failure }, b.ExpectSuback(1));
            // Freed entries are used again.
            a.Send(TestPackets.Disconnect());
            b.Send(TestPackets.Subscribe(2, "b2", 0));
            CollectionAssert.AreEqual(new byte[] { 0 }, b.ExpectSuback(2));
        }

        [TestMethod]
        public void Filter_longer_than_the_maximum_topic_length_gets_0x80()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(4, TestPackets.Repeat('f', o.MaxTopicLength + 1), 0));
            CollectionAssert.AreEqual(new byte[] { SubackCode.Failure }, sub.ExpectSuback(4));
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Invalid_filter_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(1, "a/#/b", 0));
            sub.ExpectNothing();
            Assert.IsTrue(sub.IsClosed);
            Assert.AreEqual((int)DecodeResult.InvalidTopicFilter, (int)net.Engine.ViolationOf(sub.Handle));
        }

        [TestMethod]
        public void Refused_filter_of_a_31_client_echoes_its_qos_and_is_not_subscribed()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxSubscriptionsPerClient = 1;
            FakeNet net = new FakeNet(o);
            ConnectSpec spec = new ConnectSpec("old");
            spec.Level = ProtocolLevel.V31;
            FakeClient sub = net.Connect(spec);
            sub.Send(TestPackets.Subscribe(1, new string[] { "x", "y" }, new byte[] { 1, 1 }));
            CollectionAssert.AreEqual(new byte[] { 1, 1 }, sub.ExpectSuback(1));
            Assert.AreEqual(1, net.Engine.Subscriptions.Count);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("y", "lost", 0, 0));
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Subscriptions_of_a_clean_session_end_with_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("gone", 1);
            sub.DropNetwork();
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
            Assert.AreEqual(0, net.Engine.Counters.Subscriptions);
            Assert.AreEqual((int)CloseReason.NetworkClosed, (int)net.Engine.CloseReasonOf(sub.Handle));
        }

        [TestMethod]
        public void Filter_with_more_levels_than_the_limit_closes_the_connection()
        {
            // Mosquitto: a filter beyond its hierarchy limit makes the SUBSCRIBE malformed, and the connection ends.
            BrokerOptions o = TestOptions.Device();
            o.MaxTopicLevels = 3;
            FakeNet net = new FakeNet(o);
            FakeClient ok = net.Connect("ok", true);
            ok.Subscribe("a/+/#", 0);
            FakeClient c = net.Connect("deep", true);
            c.Send(TestPackets.Subscribe(1, new string[] { "a", "a/b/c/d" }, new byte[] { 0, 0 }));
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.TooManyTopicLevels, (int)net.Engine.ViolationOf(c.Handle));
            Assert.AreEqual(1, net.Engine.Subscriptions.Count, "nothing of the refused packet was subscribed");
        }

        [TestMethod]
        public void Mqtt31_subscribe_and_unsubscribe_with_qos1_and_dup_header_flags_are_accepted()
        {
            // 3.1 let SUBSCRIBE/UNSUBSCRIBE carry DUP; Mosquitto checks these flags only for 3.1.1 clients.
            FakeNet net = new FakeNet(TestOptions.Device());
            ConnectSpec spec = new ConnectSpec("old");
            spec.Level = ProtocolLevel.V31;
            FakeClient c = net.Connect(spec);
            byte[] subscribe = TestPackets.Subscribe(3, "t", 1);
            subscribe[0] = 0x8A;
            c.Send(subscribe);
            c.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x03, 0x01 });
            byte[] unsubscribe = TestPackets.Unsubscribe(4, "t");
            unsubscribe[0] = 0xAA;
            c.Send(unsubscribe);
            c.ExpectBytes(new byte[] { 0xB0, 0x02, 0x00, 0x04 });
            Assert.IsTrue(net.Engine.IsConnected(c.Handle));
        }

        [TestMethod]
        public void Mqtt311_subscribe_with_dup_flag_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("new", true);
            byte[] subscribe = TestPackets.Subscribe(3, "t", 1);
            subscribe[0] = 0x8A;
            c.Send(subscribe);
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.InvalidHeaderFlags, (int)net.Engine.ViolationOf(c.Handle));
        }
    }
}
