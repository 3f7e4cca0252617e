using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Security per listener (per_listener_settings) and what a reload does to connected clients (Listeners.cs).</summary>
    [TestClass]
    public class ListenersTests
    {
        private static FakeClient OpenOn(FakeNet net, int listener)
        {
            FakeClient c = net.Open();
            net.Engine.SetListener(c.Handle, listener);
            return c;
        }

        [TestMethod]
        public void Each_listener_checks_its_own_anonymous_setting_and_users()
        {
            BrokerOptions o = TestOptions.Device();
            o.Listeners = 2;
            FakeNet net = new FakeNet(o);
            net.Engine.SetAllowAnonymous(1, false);
            net.Engine.UsersOf(1).Add("ann", "pw");

            FakeClient open = OpenOn(net, 0);
            open.Send(TestPackets.Connect(new ConnectSpec("anon0")));
            open.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x00 });

            FakeClient closed = OpenOn(net, 1);
            closed.Send(TestPackets.Connect(new ConnectSpec("anon1")));
            closed.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x05 });

            // Listener 0 has no users: any user name is let in without a check (Mosquitto without password_file).
            ConnectSpec ann0 = new ConnectSpec("ann0");
            ann0.Username = "ann";
            ann0.Password = "wrong";
            FakeClient c0 = OpenOn(net, 0);
            c0.Send(TestPackets.Connect(ann0));
            c0.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x00 });

            ConnectSpec ann1 = new ConnectSpec("ann1");
            ann1.Username = "ann";
            ann1.Password = "pw";
            FakeClient c1 = OpenOn(net, 1);
            c1.Send(TestPackets.Connect(ann1));
            c1.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x00 });
        }

        [TestMethod]
        public void Each_listener_has_its_own_acl()
        {
            BrokerOptions o = TestOptions.Device();
            o.Listeners = 2;
            FakeNet net = new FakeNet(o);
            net.Engine.AclOf(1).AddTopic(null, Acl.Read, "public/#");

            FakeClient free = OpenOn(net, 0);
            free.Send(TestPackets.Connect(new ConnectSpec("free")));
            free.ExpectConnack();
            free.Send(TestPackets.Subscribe(1, "private/#", 0));
            free.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x01, 0x00 });

            FakeClient limited = OpenOn(net, 1);
            limited.Send(TestPackets.Connect(new ConnectSpec("limited")));
            limited.ExpectConnack();
            limited.Send(TestPackets.Subscribe(2, "private/#", 0));
            limited.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x02, 0x80 });
        }

        [TestMethod]
        public void A_reload_that_removes_a_read_rule_stops_deliveries_and_empties_the_queue_of_that_topic()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            Acl acl = net.Engine.Acl;
            acl.AddTopic(null, Acl.ReadWrite, "a/#");
            acl.AddTopic(null, Acl.ReadWrite, "b/#");
            FakeClient sub = net.Connect("sub", false);
            sub.Subscribe("a/#", 1);
            sub.Subscribe("b/#", 1);
            int s = net.Engine.SessionOf(sub.Handle);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            // Fill the in-flight window, then queue one message on each topic.
            for (int i = 0; i < 4; i++)
            {
                pub.Send(TestPackets.Publish("a/x", "f" + i.ToString(), 1, (ushort)(i + 1)));
            }

            pub.Send(TestPackets.Publish("a/x", "queued-a", 1, 10));
            pub.Send(TestPackets.Publish("b/x", "queued-b", 1, 11));
            Assert.AreEqual(2, net.Engine.QueuedFor(s));

            acl.Clear();
            acl.AddTopic(null, Acl.ReadWrite, "b/#");
            Assert.AreEqual(0, net.Engine.ApplySecurity());
            Assert.AreEqual(1, net.Engine.QueuedFor(s), "the queued a/x message is revoked");
            Assert.AreEqual(1, (int)net.Engine.Counters.RevokedQueued);

            pub.Send(TestPackets.Publish("a/x", "live-a", 0, 0));
            pub.Send(TestPackets.Publish("b/x", "live-b", 0, 0));
            sub.Reading = true;
            net.Pump();
            ushort[] ids = new ushort[4];
            for (int i = 0; i < 4; i++)
            {
                // Already sent before the reload: in flight, finished as usual.
                ids[i] = sub.ExpectPublish("a/x", "f" + i.ToString(), 1).PacketId;
            }

            // The window is full: live QoS 0 waits in the queue behind queued-b, in order (Flow/Deliveries).
            sub.ExpectNothing();
            sub.Send(TestPackets.Ack(PacketType.Puback, ids[0]));
            sub.ExpectPublish("b/x", "queued-b", 1);
            sub.ExpectPublish("b/x", "live-b", 0);
            sub.ExpectNothing();
        }

        [TestMethod]
        public void A_reload_disconnects_clients_whose_user_is_gone_or_who_are_anonymous_where_that_is_now_off()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            net.Engine.Users.Add("ann", "pw");
            net.Engine.Users.Add("bob", "pw");
            ConnectSpec ann = new ConnectSpec("ann");
            ann.Username = "ann";
            ann.Password = "pw";
            ConnectSpec bob = new ConnectSpec("bob");
            bob.Username = "bob";
            bob.Password = "pw";
            bob.WillTopic = "wills/bob";
            bob.WillMessage = "gone";
            FakeClient a = net.Connect(ann);
            a.Subscribe("wills/#", 0);
            FakeClient b = net.Connect(bob);
            FakeClient anon = net.Connect("anon", true);

            net.Engine.Users.Clear();
            net.Engine.Users.Add("ann", "pw");
            net.Engine.SetAllowAnonymous(0, false);
            Assert.AreEqual(2, net.Engine.ApplySecurity());
            net.Pump();

            Assert.IsTrue(b.IsClosed);
            Assert.IsTrue(anon.IsClosed);
            Assert.IsFalse(a.IsClosed);
            Assert.AreEqual((int)CloseReason.AccessRevoked, (int)net.Engine.CloseReasonOf(b.Handle));
            Assert.AreEqual(2, (int)net.Engine.Counters.AccessRevoked);
            // As when Mosquitto disconnects a client, its will goes out.
            a.ExpectPublish("wills/bob", "gone", 0);
        }

        [TestMethod]
        public void Persistent_sessions_offline_longer_than_the_expiry_are_removed()
        {
            BrokerOptions o = TestOptions.Device();
            o.PersistentSessionExpirySeconds = 60;
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Connect("keep", false);
            c.Subscribe("t", 1);
            c.Send(TestPackets.Disconnect());
            net.Advance(59999);
            Assert.AreEqual(1, net.Engine.Sessions.Count);
            net.Advance(1);
            Assert.AreEqual(0, net.Engine.Sessions.Count);
            Assert.AreEqual(1, (int)net.Engine.Counters.SessionsExpired);
            // Coming back finds no session: CONNACK 0 with session present 0.
            FakeClient again = net.Open();
            ConnectSpec spec = new ConnectSpec("keep");
            spec.CleanSession = false;
            again.Send(TestPackets.Connect(spec));
            again.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x00 });
        }
    }
}
