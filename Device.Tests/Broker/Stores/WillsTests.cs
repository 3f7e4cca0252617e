using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class WillsTests
    {
        private static FakeNet _net;
        private static FakeClient _watcher;

        /// <summary>A broker with a watcher on wills/#, and a client "dying" whose will goes there.</summary>
        private static FakeClient Dying(BrokerOptions o, byte willQos, bool willRetain)
        {
            _net = new FakeNet(o);
            _watcher = _net.Connect("watcher", true);
            _watcher.Subscribe("wills/#", 2);
            ConnectSpec spec = new ConnectSpec("dying");
            spec.WillTopic = "wills/dying";
            spec.WillMessage = "lost";
            spec.WillQos = willQos;
            spec.WillRetain = willRetain;
            spec.KeepAlive = 10;
            return _net.Connect(spec);
        }

        [TestMethod]
        public void Will_is_published_when_the_network_fails()
        {
            FakeClient c = Dying(TestOptions.Device(), 0, false);
            c.DropNetwork();
            _watcher.ExpectPublish("wills/dying", "lost", 0);
            Assert.AreEqual(1, (int)_net.Engine.Counters.WillsPublished);
        }

        [TestMethod]
        public void Will_is_published_when_keep_alive_expires()
        {
            FakeClient c = Dying(TestOptions.Device(), 0, false);
            _net.Advance(15000);
            _watcher.ExpectNothing();
            _net.Advance(1);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.KeepAliveExpired, (int)_net.Engine.CloseReasonOf(c.Handle));
            _watcher.ExpectPublish("wills/dying", "lost", 0);
        }

        [TestMethod]
        public void Will_is_published_on_a_protocol_violation()
        {
            FakeClient c = Dying(TestOptions.Device(), 0, false);
            c.Send(TestPackets.Subscribe(1, "bad/#/filter", 0));
            Assert.IsTrue(c.IsClosed);
            _watcher.ExpectPublish("wills/dying", "lost", 0);
        }

        [TestMethod]
        public void Will_is_published_when_another_connection_takes_the_client_id()
        {
            FakeClient c = Dying(TestOptions.Device(), 0, false);
            FakeClient successor = _net.Connect("dying", true);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.TakenOver, (int)_net.Engine.CloseReasonOf(c.Handle));
            Assert.IsTrue(_net.Engine.IsConnected(successor.Handle));
            _watcher.ExpectPublish("wills/dying", "lost", 0);
            Assert.AreEqual(1, (int)_net.Engine.Counters.Takeovers);
            Assert.AreEqual(2, _net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        [DataRow(true, false, true)]
        [DataRow(false, true, true)]
        [DataRow(true, true, true)]
        [DataRow(false, false, false)]
        public void Takeover_publishes_the_will_unless_both_connections_are_persistent(bool oldClean, bool newClean, bool willSent)
        {
            // Mosquitto's connect__on_authorised: the will goes out when the old or the new connection is clean; when
            // both are persistent the session simply carries on and the will is discarded.
            _net = new FakeNet(TestOptions.Device());
            _watcher = _net.Connect("watcher", true);
            _watcher.Subscribe("wills/#", 0);
            ConnectSpec old = new ConnectSpec("twin");
            old.CleanSession = oldClean;
            old.WillTopic = "wills/twin";
            old.WillMessage = "gone";
            FakeClient first = _net.Connect(old);
            FakeClient second = _net.Open();
            ConnectSpec next = new ConnectSpec("twin");
            next.CleanSession = newClean;
            second.Send(TestPackets.Connect(next));
            // CONNACK 0, session present only when a persistent session is resumed: 20 02 0s 00.
            second.ExpectBytes(new byte[] { 0x20, 0x02, (byte)(!oldClean && !newClean ? 1 : 0), 0x00 });
            Assert.IsTrue(first.IsClosed);
            if (willSent)
            {
                // 30 0c 00 0a "wills/twin" "gone": the will as a QoS 0 PUBLISH.
                _watcher.ExpectPublish("wills/twin", "gone", 0);
                Assert.AreEqual(1, (int)_net.Engine.Counters.WillsPublished);
            }
            else
            {
                Assert.AreEqual(0, (int)_net.Engine.Counters.WillsPublished);
            }

            _watcher.ExpectNothing();
            // The discarded will does not come back when the successor disconnects cleanly either.
            second.Send(TestPackets.Disconnect());
            _watcher.ExpectNothing();
        }

        [TestMethod]
        public void Takeover_works_when_every_client_slot_is_taken()
        {
            FakeClient c = Dying(TestOptions.Clients(2, 1), 0, false);
            FakeClient successor = _net.Connect("dying", true);
            Assert.IsTrue(c.IsClosed);
            Assert.IsTrue(_net.Engine.IsConnected(successor.Handle));
            _watcher.ExpectPublish("wills/dying", "lost", 0);
        }

        [TestMethod]
        public void Will_is_not_published_after_disconnect()
        {
            FakeClient c = Dying(TestOptions.Device(), 0, false);
            c.Send(TestPackets.Disconnect());
            _net.Advance(60000);
            _watcher.ExpectNothing();
            Assert.AreEqual(0, (int)_net.Engine.Counters.WillsPublished);
        }

        [TestMethod]
        public void Will_keeps_its_qos_and_retain_flag()
        {
            FakeClient c = Dying(TestOptions.Device(), 1, true);
            c.DropNetwork();
            PublishView live = _watcher.ExpectPublish("wills/dying", "lost", 1);
            Assert.IsFalse(live.Retain, "live forward");
            FakeClient late = _net.Connect("late", true);
            late.Subscribe("wills/dying", 2);
            PublishView kept = late.ExpectPublish("wills/dying", "lost", 1);
            Assert.IsTrue(kept.Retain);
        }

        [TestMethod]
        public void Will_that_does_not_fit_gets_connack_3()
        {
            BrokerOptions o = TestOptions.Device();
            o.WillBytes = 20;
            FakeNet net = new FakeNet(o);
            ConnectSpec spec = new ConnectSpec("big");
            spec.WillTopic = "w";
            spec.WillMessage = TestPackets.Repeat('x', 20);
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(spec));
            Assert.AreEqual(ConnectReturnCode.ServerUnavailable, c.ExpectConnack().ReturnCode);
            spec.WillMessage = TestPackets.Repeat('x', 19);
            net.Connect(spec);
        }

        [TestMethod]
        public void Will_of_a_refused_connect_is_never_published()
        {
            _net = new FakeNet(TestOptions.Clients(1, 1));
            _watcher = _net.Connect("watcher", true);
            _watcher.Subscribe("#", 0);
            ConnectSpec spec = new ConnectSpec("extra");
            spec.WillTopic = "w";
            spec.WillMessage = "m";
            FakeClient c = _net.Open();
            c.Send(TestPackets.Connect(spec));
            Assert.AreEqual(ConnectReturnCode.ServerUnavailable, c.ExpectConnack().ReturnCode);
            _watcher.ExpectNothing();
        }

        [TestMethod]
        public void Will_to_a_sys_topic_is_not_published()
        {
            _net = new FakeNet(TestOptions.Device());
            _watcher = _net.Connect("watcher", true);
            _watcher.Subscribe("$SYS/#", 0);
            ConnectSpec spec = new ConnectSpec("dying");
            spec.WillTopic = "$SYS/broker/clients";
            spec.WillMessage = "0";
            _net.Connect(spec).DropNetwork();
            _watcher.ExpectNothing();
            Assert.AreEqual(1, (int)_net.Engine.Counters.AclDeniedPublish);
        }

        [TestMethod]
        public void Will_denied_by_the_acl_is_not_published()
        {
            _net = new FakeNet(TestOptions.Device());
            Assert.AreEqual(0, AclFile.Load(_net.Engine.Acl, "topic readwrite #\nuser w\ntopic read #\n"));
            _watcher = _net.Connect("watcher", true);
            _watcher.Subscribe("#", 0);
            ConnectSpec spec = new ConnectSpec("dying");
            spec.Username = "w";
            spec.WillTopic = "wills/dying";
            spec.WillMessage = "lost";
            _net.Connect(spec).DropNetwork();
            _watcher.ExpectNothing();
            Assert.AreEqual(1, (int)_net.Engine.Counters.AclDeniedPublish);
        }
    }
}
