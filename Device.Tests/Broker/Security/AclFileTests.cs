using System.Collections;
using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>The one ACL-file parser, on the board and the PC: what each line grants, and the reasons for bad lines.</summary>
    [TestClass]
    public class AclFileTests
    {
        private static FakeClient As(FakeNet net, string clientId, string user)
        {
            ConnectSpec spec = new ConnectSpec(clientId);
            spec.Username = user;
            return net.Connect(spec);
        }

        private static byte Granted(FakeClient c, ushort id, string filter)
        {
            c.Send(TestPackets.Subscribe(id, filter, 0));
            return c.ExpectSuback(id)[0];
        }

        [TestMethod]
        public void Topic_user_and_pattern_lines_grant_what_they_say()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            ArrayList errors = new ArrayList();
            Assert.IsTrue(AclFile.Load(net.Engine.Acl,
                "# anonymous clients\ntopic read public/#\n\nuser alice\ntopic readwrite alice/+/in\ntopic deny alice/secret\n"
                + "topic write with space/in name\ntopic lonely\npattern write devices/%c/%u/#\n", errors));
            Assert.AreEqual(0, errors.Count);
            Assert.AreEqual(6, net.Engine.Acl.Count);

            FakeClient anon = net.Connect("anon", true);
            Assert.AreEqual((byte)0, Granted(anon, 1, "public/#"));
            Assert.AreEqual(SubackCode.Failure, Granted(anon, 2, "alice/x/in"), "rules after a user line are that user's");

            FakeClient alice = As(net, "dev1", "alice");
            Assert.AreEqual(SubackCode.Failure, Granted(alice, 1, "public/#"), "rules before any user line are for anonymous clients");
            Assert.AreEqual((byte)0, Granted(alice, 2, "alice/x/in"));
            Assert.AreEqual((byte)0, Granted(alice, 3, "lonely"), "a single word is the topic, readwrite");
            Assert.AreEqual(SubackCode.Failure, Granted(alice, 4, "alice/secret"), "deny");
            Assert.AreEqual(SubackCode.Failure, Granted(alice, 5, "with space/in name"), "write only");

            FakeClient reader = As(net, "r", "alice2");
            reader.Send(TestPackets.Subscribe(9, "#", 0));
            reader.ExpectSuback(9);
            alice.Send(TestPackets.Publish("with space/in name", "w", 0, 0));
            alice.Send(TestPackets.Publish("devices/dev1/alice/t", "p", 0, 0));
            alice.Send(TestPackets.Publish("devices/other/alice/t", "no", 0, 0));
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedPublish, "only the pattern's own client id may write");
        }

        [TestMethod]
        [DataRow("user", "user needs a name")]
        [DataRow("topic", "topic needs a topic filter")]
        [DataRow("topic read", "topic needs a topic filter")]
        [DataRow("pattern deny", "pattern needs a topic filter")]
        [DataRow("topic read a/b#", "'a/b#' is not a valid topic filter: a wildcard must fill a whole level")]
        [DataRow("pattern read #/x", "'#/x' is not a valid topic filter: '#' must be the last level")]
        [DataRow("topics read a", "unknown keyword 'topics' (expected user, topic or pattern)")]
        public void A_bad_line_is_reported_with_its_number_and_reason(string line, string reason)
        {
            ArrayList errors = new ArrayList();
            Assert.IsFalse(AclFile.Load(new Acl(8, 256, 64), "topic read ok\n" + line + "\ntopic read fine\n", errors));
            Assert.AreEqual(1, errors.Count);
            LineError e = (LineError)errors[0];
            Assert.AreEqual(2, e.Line);
            Assert.AreEqual(reason, e.Reason);
        }

        [TestMethod]
        public void Every_bad_line_is_reported_and_the_good_ones_are_kept()
        {
            Acl acl = new Acl(2, 256, 64);
            ArrayList errors = new ArrayList();
            Assert.IsFalse(AclFile.Load(acl, "bogus\r\ntopic a\r\ntopic b\r\ntopic c\r\n", errors));
            Assert.AreEqual(2, errors.Count);
            Assert.AreEqual(1, ((LineError)errors[0]).Line);
            Assert.AreEqual(4, ((LineError)errors[1]).Line);
            Assert.StartsWith("the rule does not fit the ACL's preallocated room (2 rules, ", ((LineError)errors[1]).Reason);
            Assert.AreEqual(2, acl.Count);
        }

        [TestMethod]
        public void Loading_a_file_turns_the_acl_on_even_without_rules()
        {
            Acl acl = new Acl(2, 64, 64);
            Assert.IsFalse(acl.Enabled);
            Assert.AreEqual(0, AclFile.Load(acl, "# nothing yet\n"));
            Assert.IsTrue(acl.Enabled);
            Assert.AreEqual(0, acl.Count);
        }
    }
}
