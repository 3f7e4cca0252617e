using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class AclTests
    {
        private static FakeClient As(FakeNet net, string clientId, string user)
        {
            ConnectSpec spec = new ConnectSpec(clientId);
            spec.Username = user;
            return net.Connect(spec);
        }

        private static FakeNet WithAcl(string text)
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            Assert.AreEqual(0, AclFile.Load(net.Engine.Acl, text));
            return net;
        }

        [TestMethod]
        public void Acl_file_without_any_rule_denies_everything()
        {
            // Mosquitto: an acl_file is configured, so what it does not grant is denied, even when it grants nothing.
            FakeNet net = WithAcl("# only a comment\n\n   \n");
            FakeClient sub = net.Connect("sub", true);
            sub.Send(TestPackets.Subscribe(3, "a/b", 0));
            Assert.AreEqual(SubackCode.Failure, sub.ExpectSuback(3)[0]);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a/b", "x", 1, 1));
            Assert.AreEqual((ushort)1, pub.ExpectAck(PacketType.Puback));
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedPublish);
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedSubscribe);
        }

        [TestMethod]
        public void Publish_denied_by_the_acl_is_acknowledged_and_not_routed()
        {
            FakeNet net = WithAcl("user ann\ntopic read #\nuser bob\ntopic write in/#\n");
            FakeClient ann = As(net, "a", "ann");
            ann.Subscribe("#", 0);
            FakeClient bob = As(net, "b", "bob");
            bob.Send(TestPackets.Publish("out/x", "no", 1, 4));
            Assert.AreEqual((ushort)4, bob.ExpectAck(PacketType.Puback));
            bob.Send(TestPackets.Publish("out/x", "no", 2, 5));
            Assert.AreEqual((ushort)5, bob.ExpectAck(PacketType.Pubrec));
            ann.ExpectNothing();
            bob.Send(TestPackets.Publish("in/x", "yes", 0, 0));
            ann.ExpectPublish("in/x", "yes", 0);
            Assert.AreEqual(2, (int)net.Engine.Counters.AclDeniedPublish);
            Assert.IsTrue(net.Engine.IsConnected(bob.Handle));
        }

        [TestMethod]
        public void Subscribe_denied_by_the_acl_gets_0x80()
        {
            FakeNet net = WithAcl("user ann\ntopic read sensors/#\ntopic deny sensors/secret/#\n");
            FakeClient ann = As(net, "a", "ann");
            ann.Send(TestPackets.Subscribe(1, new string[] { "sensors/+/t", "#", "sensors/secret/x", "other" }, new byte[] { 1, 1, 1, 1 }));
            CollectionAssert.AreEqual(new byte[] { 1, SubackCode.Failure, SubackCode.Failure, SubackCode.Failure }, ann.ExpectSuback(1));
            Assert.AreEqual(3, (int)net.Engine.Counters.AclDeniedSubscribe);
            Assert.AreEqual(1, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Read_access_is_checked_for_every_delivery()
        {
            FakeNet net = WithAcl("user ann\ntopic read a/#\ntopic deny a/secret\nuser pub\ntopic write #\n");
            FakeClient ann = As(net, "a", "ann");
            ann.Subscribe("a/#", 0);
            FakeClient pub = As(net, "p", "pub");
            pub.Send(TestPackets.Publish("a/secret", "hidden", 0, 0));
            pub.Send(TestPackets.Publish("a/open", "shown", 0, 0));
            ann.ExpectPublish("a/open", "shown", 0);
            ann.ExpectNothing();
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedRead);
        }

        [TestMethod]
        public void Topic_rules_before_any_user_line_are_for_anonymous_clients_only()
        {
            FakeNet net = WithAcl("topic readwrite public/#\nuser ann\ntopic readwrite private/#\n");
            FakeClient anon = net.Connect("anon", true);
            FakeClient ann = As(net, "a", "ann");
            anon.Send(TestPackets.Subscribe(1, new string[] { "public/#", "private/#" }, new byte[] { 0, 0 }));
            CollectionAssert.AreEqual(new byte[] { 0, SubackCode.Failure }, anon.ExpectSuback(1));
            ann.Send(TestPackets.Subscribe(1, new string[] { "public/#", "private/#" }, new byte[] { 0, 0 }));
            CollectionAssert.AreEqual(new byte[] { SubackCode.Failure, 0 }, ann.ExpectSuback(1));
            // A user name without rules of its own gets nothing but patterns (none here).
            FakeClient carl = As(net, "c", "carl");
            carl.Send(TestPackets.Subscribe(1, "public/#", 0));
            CollectionAssert.AreEqual(new byte[] { SubackCode.Failure }, carl.ExpectSuback(1));
        }

        [TestMethod]
        public void Patterns_substitute_client_id_and_user_name()
        {
            FakeNet net = WithAcl("pattern write devices/%c/state\npattern read users/%u/#\n");
            FakeClient dev = As(net, "dev1", "ann");
            dev.Send(TestPackets.Subscribe(1, new string[] { "users/ann/inbox", "users/bob/inbox" }, new byte[] { 0, 0 }));
            CollectionAssert.AreEqual(new byte[] { 0, SubackCode.Failure }, dev.ExpectSuback(1));
            dev.Send(TestPackets.Publish("devices/dev1/state", "on", 0, 0));
            dev.Send(TestPackets.Publish("devices/dev2/state", "spoof", 0, 0));
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedPublish);
            // %u needs a user name: an anonymous client matches no such pattern.
            FakeClient anon = net.Connect("x", true);
            anon.Send(TestPackets.Subscribe(1, "users//inbox", 0));
            CollectionAssert.AreEqual(new byte[] { SubackCode.Failure }, anon.ExpectSuback(1));
        }

        [TestMethod]
        public void Client_id_with_a_wildcard_gets_no_pattern_access()
        {
            FakeNet net = WithAcl("pattern readwrite devices/%c/#\n");
            FakeClient sneaky = net.Connect("+", true);
            sneaky.Send(TestPackets.Subscribe(1, "devices/+/#", 0));
            CollectionAssert.AreEqual(new byte[] { SubackCode.Failure }, sneaky.ExpectSuback(1));
        }

        [TestMethod]
        public void Without_rules_everything_is_allowed()
        {
            Acl acl = new Acl(4, 64, 64);
            SessionTable sessions = new SessionTable(1, 23, 8);
            byte[] id = TestPackets.Bytes("c");
            int s = sessions.Create(id, 0, 1, false);
            byte[] t = TestPackets.Bytes("any/topic");
            Assert.IsFalse(acl.Enabled);
            Assert.IsTrue(acl.CanPublish(sessions, s, t, 0, t.Length));
            Assert.IsTrue(acl.CanSubscribe(sessions, s, t, 0, t.Length));
            acl.Enable();
            Assert.IsFalse(acl.CanPublish(sessions, s, t, 0, t.Length), "an enabled ACL without rules grants nothing");
            Assert.IsFalse(acl.CanSubscribe(sessions, s, t, 0, t.Length));
        }

        [TestMethod]
        [DataRow("a/#", "a/b/c", true)]
        [DataRow("a/#", "a", true)]
        [DataRow("a/#", "a/#", true)]
        [DataRow("a/#", "b/#", false)]
        [DataRow("a/+", "a/b", true)]
        [DataRow("a/+", "a/+", true)]
        [DataRow("a/+", "a/#", false)]
        [DataRow("a/+", "a/b/c", false)]
        [DataRow("a/b", "a/+", false)]
        [DataRow("a/b", "a/b", true)]
        [DataRow("+/b", "x/b", true)]
        [DataRow("#", "x/#", true)]
        [DataRow("#", "$SYS/#", false)]
        [DataRow("+/#", "$SYS/x", false)]
        [DataRow("$SYS/#", "$SYS/x", true)]
        [DataRow("a/+/c", "a/+/c", true)]
        [DataRow("a/+/c", "a/+/#", false)]
        [DataRow("a", "a/#", false)]
        public void Rule_covers_a_filter_only_when_it_matches_every_topic_of_it(string rule, string filter, bool covers)
        {
            byte[] r = TestPackets.Bytes(rule);
            byte[] f = TestPackets.Bytes(filter);
            Assert.AreEqual(covers, Acl.Covers(r, 0, r.Length, f, 0, f.Length));
        }

        [TestMethod]
        public void Acl_file_errors_name_the_line()
        {
            Acl acl = new Acl(8, 256, 64);
            Assert.AreEqual(0, AclFile.Load(acl, "# comment\n\ntopic a\ntopic read b\nuser u\npattern write c/%c\n"));
            Assert.AreEqual(3, acl.Count);
            Assert.AreEqual(2, AclFile.Load(new Acl(8, 256, 64), "topic a\nbogus line\n"));
            Assert.AreEqual(1, AclFile.Load(new Acl(8, 256, 64), "topic read a/#/b\n"), "invalid filter");
            Assert.AreEqual(2, AclFile.Load(new Acl(1, 256, 64), "topic a\ntopic b\n"), "table full");
        }

        [TestMethod]
        [DataRow("$SYS/x", false)]
        [DataRow("$SYS", false)]
        [DataRow("$SYSTEM/x", false)]
        [DataRow("$SYS/broker/connection/b1/state", true)]
        [DataRow("$SYS/broker/connection/b1/state/x", false)]
        [DataRow("$share/x", true)]
        [DataRow("SYS/x", true)]
        public void Clients_may_not_write_the_sys_tree(string topic, bool writable)
        {
            byte[] t = TestPackets.Bytes(topic);
            Assert.AreEqual(writable, SystemTopics.ClientMayWrite(t, 0, t.Length));
        }
    }
}
