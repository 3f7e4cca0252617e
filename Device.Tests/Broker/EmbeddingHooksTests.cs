using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// The embedding API's hooks and events (Embedding.cs, Handlers/HandleConnect.cs): how IAccessHook combines with
    /// AllowAnonymous, the password file and the ACL (docs/EMBEDDING.md, "Hooks"), and the connect/disconnect events.
    /// </summary>
    [TestClass]
    public class EmbeddingHooksTests
    {
        [TestMethod]
        public void Hook_is_the_user_store_when_no_password_file_is_loaded()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            TestAccessHook hook = new TestAccessHook();
            net.Engine.SetAccessHook(hook);
            Assert.AreEqual(ConnectReturnCode.Accepted, Connack(net, "h1", "hookuser", "hookpass"), "the hook allows");
            Assert.AreEqual("h1", hook.LastClientId);
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "h2", "hookuser", "wrong"), "the hook refuses");
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "h3", "other", "hookpass"));
            Assert.AreEqual(2L, net.Engine.Counters.HookRefusals);
            Assert.AreEqual(2L, net.Engine.Counters.AuthFailures);
        }

        [TestMethod]
        public void Anonymous_off_refuses_a_connect_without_user_name_whatever_the_hook_says()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            net.Engine.SetAccessHook(new AllowAll());
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "anon", null, null));
        }

        [TestMethod]
        public void With_a_password_file_the_hook_only_narrows()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            net.Engine.Users.Add("hookuser", "filepass");
            net.Engine.Users.Add("ann", "annpass");
            TestAccessHook hook = new TestAccessHook();
            net.Engine.SetAccessHook(hook);
            // The file refuses: the hook is not asked, and its yes would not count.
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "f1", "hookuser", "hookpass"));
            Assert.AreEqual(0, hook.AuthenticateCalls);
            // The file accepts, the hook refuses (ann is not its user).
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "f2", "ann", "annpass"));
            Assert.AreEqual(1, hook.AuthenticateCalls);
            // Both accept.
            net.Engine.SetAccessHook(new AllowAll());
            Assert.AreEqual(ConnectReturnCode.Accepted, Connack(net, "f3", "ann", "annpass"));
        }

        [TestMethod]
        public void Hook_is_asked_for_anonymous_clients_when_anonymous_is_on()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            TestAccessHook hook = new TestAccessHook();
            net.Engine.SetAccessHook(hook);
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "anon", null, null));
            Assert.AreEqual(1, hook.AuthenticateCalls);
            Assert.IsFalse(hook.LastHadUser);
            net.Engine.SetAccessHook(null);
            Assert.AreEqual(ConnectReturnCode.Accepted, Connack(net, "anon2", null, null), "no hook: as before");
        }

        [TestMethod]
        public void Throwing_hook_refuses_and_is_counted()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            TestAccessHook hook = new TestAccessHook();
            hook.Throw = true;
            net.Engine.SetAccessHook(hook);
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "t1", "hookuser", "hookpass"));
            Assert.AreEqual(1L, net.Engine.Counters.HookFailures);
        }

        [TestMethod]
        public void Publish_the_hook_refuses_is_acknowledged_and_not_routed()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            net.Engine.SetAccessHook(new AllowAllButDeny());
            RecordingHandler local = new RecordingHandler();
            net.Engine.Subscribe("#", local);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("#", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("deny/x", "no", 1, 1));
            Assert.AreEqual((ushort)1, pub.ExpectAck(PacketType.Puback));
            sub.ExpectNothing();
            Assert.AreEqual(0, local.Calls);
            pub.Send(TestPackets.Publish("ok/x", "yes", 1, 2));
            pub.ExpectAck(PacketType.Puback);
            sub.ExpectPublish("ok/x", "yes", 1);
            Assert.AreEqual(1, local.Calls);
            Assert.AreEqual(1L, net.Engine.Counters.HookRefusals);
        }

        [TestMethod]
        public void Subscribe_the_hook_refuses_gets_0x80()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            net.Engine.SetAccessHook(new AllowAllButDeny());
            FakeClient c = net.Connect("c", true);
            c.Send(TestPackets.Subscribe(9, new string[] { "deny/#", "ok/#" }, new byte[] { 1, 1 }));
            byte[] codes = c.ExpectSuback(9);
            Assert.AreEqual(SubackCode.Failure, codes[0]);
            Assert.AreEqual((byte)1, codes[1]);
        }

        [TestMethod]
        public void Hook_narrows_what_the_acl_allows()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            Assert.AreEqual(0, AclFile.Load(net.Engine.Acl, "topic readwrite #\n"));
            net.Engine.SetAccessHook(new AllowAllButDeny());
            FakeClient c = net.Connect("c", true);
            c.Send(TestPackets.Subscribe(9, new string[] { "deny/#", "ok/#" }, new byte[] { 0, 0 }));
            byte[] codes = c.ExpectSuback(9);
            Assert.AreEqual(SubackCode.Failure, codes[0]);
            Assert.AreEqual((byte)0, codes[1]);
        }

        [TestMethod]
        public void Will_the_hook_refuses_is_not_published()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            net.Engine.SetAccessHook(new AllowAllButDeny());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("#", 0);
            ConnectSpec spec = new ConnectSpec("w");
            spec.WillTopic = "deny/will";
            spec.WillMessage = "x";
            FakeClient w = net.Connect(spec);
            w.DropNetwork();
            net.Pump();
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Connect_and_disconnect_are_notified_with_client_id_user_and_reason()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingEvents events = new RecordingEvents();
            net.Engine.SetClientEvents(events);
            ConnectSpec spec = new ConnectSpec("lamp");
            spec.Username = "bob";
            FakeClient lamp = net.Connect(spec);
            Assert.AreEqual(1, events.Connected);
            Assert.AreEqual("lamp", events.LastConnected);
            Assert.AreEqual("bob", events.LastUser);
            lamp.Send(TestPackets.Disconnect());
            net.Pump();
            Assert.AreEqual(1, events.Disconnected);
            Assert.AreEqual("lamp", events.LastDisconnected);
            Assert.AreEqual((int)CloseReason.ClientDisconnected, (int)events.LastReason);
            FakeClient gone = net.Connect("gone", true);
            gone.DropNetwork();
            Assert.AreEqual(2, events.Disconnected);
            Assert.AreEqual((int)CloseReason.NetworkClosed, (int)events.LastReason);
        }

        [TestMethod]
        public void Refused_connect_is_not_notified()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            RecordingEvents events = new RecordingEvents();
            net.Engine.SetClientEvents(events);
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, Connack(net, "x", null, null));
            Assert.AreEqual(0, events.Connected);
            Assert.AreEqual(0, events.Disconnected);
        }

        private static byte Connack(FakeNet net, string id, string user, string password)
        {
            ConnectSpec spec = new ConnectSpec(id);
            spec.Username = user;
            spec.Password = password;
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(spec));
            byte code = c.ExpectConnack().ReturnCode;
            Assert.AreEqual(code != ConnectReturnCode.Accepted, c.IsClosed, "refused connections close");
            return code;
        }

        private sealed class AllowAll : IAccessHook
        {
            public bool Authenticate(ByteView clientId, ByteView username, ByteView password)
            {
                return true;
            }

            public bool MayPublish(ByteView clientId, ByteView username, ByteView topic)
            {
                return true;
            }

            public bool MaySubscribe(ByteView clientId, ByteView username, ByteView filter)
            {
                return true;
            }
        }

        private sealed class AllowAllButDeny : IAccessHook
        {
            public bool Authenticate(ByteView clientId, ByteView username, ByteView password)
            {
                return true;
            }

            public bool MayPublish(ByteView clientId, ByteView username, ByteView topic)
            {
                return !topic.StartsWith("deny/");
            }

            public bool MaySubscribe(ByteView clientId, ByteView username, ByteView filter)
            {
                return !filter.StartsWith("deny/");
            }
        }
    }
}
