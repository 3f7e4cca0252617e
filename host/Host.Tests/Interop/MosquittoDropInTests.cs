using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Our broker as a drop-in for Debian's mosquitto: both start from Debian's default mosquitto.conf with a conf.d/
    /// holding two listeners with per_listener_settings, a password file made by mosquitto_passwd and an ACL file with
    /// user and pattern rules; then mosquitto_pub and mosquitto_sub run the same cases against each, and what they see
    /// (CONNACK, SUBACK, deliveries) must be the same, case by case, except the deliberate differences of
    /// docs/MOSQUITTO.md, which are asserted as such. The two configurations differ only in their ports and in where
    /// each broker writes its pid file and log; the password and ACL files are the very same files.
    /// </summary>
    public sealed class MosquittoDropInTests : IDisposable
    {
        private readonly TempDir _dir = new TempDir();

        private sealed class Broker
        {
            public string Name;
            public int Open;   // listener 1: anonymous allowed, no password file, no ACL
            public int Secure; // listener 2: password file and ACL
        }

        public void Dispose()
        {
            _dir.Dispose();
        }

        private Broker Configure(string name)
        {
            Broker b = new Broker { Name = name, Open = ConfiguredBrokerProcess.FreePort(), Secure = ConfiguredBrokerProcess.FreePort() };
            string home = Path.Combine(_dir.Path, name);
            Directory.CreateDirectory(Path.Combine(home, "conf.d"));
            File.WriteAllText(Path.Combine(home, "mosquitto.conf"), MosquittoConfigTests.DebianDefault
                .Replace("/run/mosquitto/", home + "/").Replace("/var/lib/mosquitto/", home + "/")
                .Replace("/var/log/mosquitto/", home + "/").Replace("/etc/mosquitto/conf.d", Path.Combine(home, "conf.d")));
            File.WriteAllText(Path.Combine(home, "conf.d", "listeners.conf"),
                "per_listener_settings true\n"
                + "listener " + b.Open + " 127.0.0.1\nallow_anonymous true\n"
                + "listener " + b.Secure + " 127.0.0.1\nallow_anonymous false\n"
                + "password_file " + Path.Combine(_dir.Path, "passwd") + "\nacl_file " + Path.Combine(_dir.Path, "acl") + "\n");
            return b;
        }

        private void WriteSharedFiles()
        {
            string passwd = Path.Combine(_dir.Path, "passwd");
            File.WriteAllText(passwd, "");
            foreach (string[] user in new[] { new[] { "alice", "apw" }, new[] { "bob", "bpw" } })
            {
                using PeerProcess p = PeerProcess.Run("mosquitto_passwd", "-b", passwd, user[0], user[1]);
                Assert.Equal(0, p.ExitCode);
            }

            File.WriteAllText(Path.Combine(_dir.Path, "acl"),
                "user alice\ntopic readwrite alice/#\ntopic read public/#\n\n"
                + "user bob\ntopic deny public/secret\ntopic write public/#\ntopic write users/#\ntopic write alice/#\ntopic write clients/#\n\n"
                + "pattern readwrite clients/%c/#\npattern read users/%u/#\n");
            // Run as root, mosquitto drops to its own user: it must read the files and write pid and log files.
            foreach (string path in Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Append(_dir.Path))
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? (UnixFileMode)0x1FF : (UnixFileMode)0x1B6);
            }
        }

        private static object[] Client(int port, string id, string user, string password, params object[] rest)
        {
            List<object> args = new List<object> { "-h", "127.0.0.1", "-p", port, "-i", id };
            if (user != null)
            {
                args.Add("-u");
                args.Add(user);
            }

            if (password != null)
            {
                args.Add("-P");
                args.Add(password);
            }

            args.AddRange(rest);
            return args.ToArray();
        }

        private static string Connack(int port, string user, string password)
        {
            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", Client(port, "probe", user, password, "-t", "probe", "-m", "x", "-d"));
            Match m = Regex.Match(pub.Output, @"received CONNACK \((\d+)\)");
            return m.Success ? "CONNACK " + m.Groups[1].Value : "no CONNACK: " + pub.Output;
        }

        private static string Suback(int port, string id, string user, string password, string filter)
        {
            using PeerProcess sub = PeerProcess.Start("mosquitto_sub", Client(port, id, user, password, "-t", filter, "-q", 1, "-d"));
            string line = sub.WaitForLine("Subscribed (mid: 1)");
            return "SUBACK " + line.Substring(line.LastIndexOf("): ", StringComparison.Ordinal) + 3).Replace(",", "");
        }

        private static void Publish(int port, string id, string user, string password, string topic, string message)
        {
            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", Client(port, id, user, password, "-t", topic, "-m", message, "-q", 1));
        }

        /// <summary>What a subscriber receives from the publications, up to a marker it is sure to receive last.</summary>
        private static string[] Deliveries(int port, string id, string user, string password, string[] filters, Action publish, Action marker)
        {
            List<object> args = new List<object>(Client(port, id, user, password, "-v", "-d", "-q", 1));
            foreach (string f in filters)
            {
                args.Add("-t");
                args.Add(f);
            }

            using PeerProcess sub = PeerProcess.Start("mosquitto_sub", args.ToArray());
            sub.WaitForLine("Subscribed (mid: 1)");
            publish();
            marker();
            sub.WaitForLine(" marker");
            return sub.Output.Split('\n')
                .Where(l => l.Length > 0 && !l.StartsWith("Client ", StringComparison.Ordinal) && !l.StartsWith("Subscribed", StringComparison.Ordinal))
                .OrderBy(l => l, StringComparer.Ordinal).ToArray();
        }

        private static List<string> Cases(Broker b)
        {
            List<string> seen = new List<string>();
            void Note(string name, string outcome) => seen.Add(name + ": " + outcome);

            Note("anonymous, open listener", Connack(b.Open, null, null));
            Note("anonymous, secure listener", Connack(b.Secure, null, null));
            Note("alice, right password", Connack(b.Secure, "alice", "apw"));
            Note("alice, wrong password", Connack(b.Secure, "alice", "nope"));
            Note("alice, no password", Connack(b.Secure, "alice", null));
            Note("unknown user", Connack(b.Secure, "carol", "cpw"));
            Note("alice subscribes alice/#", Suback(b.Secure, "sa", "alice", "apw", "alice/#"));
            Note("alice subscribes users/alice/# (%u)", Suback(b.Secure, "sb", "alice", "apw", "users/alice/#"));
            Note("alice subscribes bob/# (no rule)", Suback(b.Secure, "sc", "alice", "apw", "bob/#"));

            string[] toAlice = Deliveries(b.Secure, "dev-a", "alice", "apw",
                new[] { "alice/#", "public/#", "users/alice/#", "clients/dev-a/#" },
                () =>
                {
                    Publish(b.Secure, "dev-b", "bob", "bpw", "public/news", "read-allowed");
                    Publish(b.Secure, "dev-b", "bob", "bpw", "public/secret", "write-denied");
                    Publish(b.Secure, "p1", "alice", "apw", "public/by-alice", "alice-may-not-write");
                    Publish(b.Secure, "dev-b", "bob", "bpw", "users/alice/inbox", "pattern-u");
                    Publish(b.Secure, "dev-a2", "alice", "apw", "clients/dev-a/x", "pattern-c-other-id-may-not-write");
                    Publish(b.Secure, "dev-b", "bob", "bpw", "clients/dev-a/y", "pattern-c-read");
                    Publish(b.Open, "anon", null, null, "public/anon", "open-listener-no-acl");
                    Publish(b.Open, "anon", null, null, "alice/from-anon", "open-listener-no-acl");
                    Publish(b.Secure, "dev-b", "bob", "bpw", "$SYS/broker/fake", "sys-denied");
                },
                () => Publish(b.Secure, "dev-b", "bob", "bpw", "alice/last", "marker"));
            Note("deliveries to alice", string.Join(" | ", toAlice));

            string[] toAnon = Deliveries(b.Open, "watcher", null, null, new[] { "#", "$SYS/test/#" },
                () =>
                {
                    Publish(b.Open, "anon", null, null, "$SYS/test/x", "sys-write-denied");
                    Publish(b.Open, "anon", null, null, "a/b", "plain");
                    Publish(b.Secure, "dev-b", "bob", "bpw", "public/cross", "across-listeners");
                },
                () => Publish(b.Open, "anon", null, null, "z", "marker"));
            Note("deliveries to an anonymous # subscriber", string.Join(" | ", toAnon));
            return seen;
        }

        [SkippableFact]
        public void Both_brokers_answer_the_same_from_debians_default_config_with_listeners_passwords_and_acl()
        {
            Peers.Require("mosquitto");
            Peers.Require("mosquitto_pub");
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_passwd");
            WriteSharedFiles();
            Broker theirs = Configure("mosquitto");
            Broker ours = Configure("ours");
            foreach (string path in Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(path, Directory.Exists(path) ? (UnixFileMode)0x1FF : (UnixFileMode)0x1B6);
            }

            List<string> mosquitto;
            using (ConfiguredBrokerProcess m = ConfiguredBrokerProcess.Mosquitto(Path.Combine(_dir.Path, "mosquitto", "mosquitto.conf"), theirs.Open, theirs.Secure))
            {
                mosquitto = Cases(theirs);
            }

            List<string> mine;
            using (ConfiguredBrokerProcess b = ConfiguredBrokerProcess.Ours(Path.Combine(_dir.Path, "ours", "mosquitto.conf"), ours.Open, ours.Secure))
            {
                mine = Cases(ours);
                Assert.True(File.Exists(Path.Combine(_dir.Path, "ours", "mosquitto.pid")));
            }

            // The deliberate difference (docs/MOSQUITTO.md): a filter no read rule covers gets SUBACK 0x80 here, the
            // spec's own way to say "refused" ([MQTT-3.9.3]); Mosquitto grants it and then delivers nothing on it.
            string[] expected =
            {
                "anonymous, open listener: CONNACK 0",
                "anonymous, secure listener: CONNACK 5",
                "alice, right password: CONNACK 0",
                "alice, wrong password: CONNACK 5",
                "alice, no password: CONNACK 5",
                "unknown user: CONNACK 5",
                "alice subscribes alice/#: SUBACK 1",
                "alice subscribes users/alice/# (%u): SUBACK 1",
                "alice subscribes bob/# (no rule): SUBACK {0}",
                "deliveries to alice: alice/from-anon open-listener-no-acl | alice/last marker | clients/dev-a/y pattern-c-read"
                    + " | public/anon open-listener-no-acl | public/news read-allowed | users/alice/inbox pattern-u",
                "deliveries to an anonymous # subscriber: a/b plain | public/cross across-listeners | z marker",
            };
            Assert.Equal(string.Join("\n", expected.Select(e => e.Replace("{0}", "1"))), string.Join("\n", mosquitto));
            Assert.Equal(string.Join("\n", expected.Select(e => e.Replace("{0}", "128"))), string.Join("\n", mine));
        }
    }
}
