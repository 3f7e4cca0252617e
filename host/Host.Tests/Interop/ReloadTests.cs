using System.IO;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// kill -HUP on our broker program, as on Mosquitto: the password and ACL files are read again while clients stay
    /// connected; a client whose access is revoked stops receiving; a broken file keeps the old one and the log says why.
    /// </summary>
    public sealed class ReloadTests
    {
        private static object[] Client(int port, string id, string user, string password, params object[] rest)
        {
            object[] head = { "-h", "127.0.0.1", "-p", port, "-i", id, "-u", user, "-P", password };
            object[] all = new object[head.Length + rest.Length];
            head.CopyTo(all, 0);
            rest.CopyTo(all, head.Length);
            return all;
        }

        private static void Publish(int port, string topic, string message)
        {
            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", Client(port, "bob-pub", "bob", "bpw", "-t", topic, "-m", message, "-q", 1));
            Assert.Equal(0, pub.ExitCode);
        }

        [SkippableFact]
        public void Sighup_reloads_the_acl_and_password_files_for_connected_clients()
        {
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_passwd");
            using TempDir dir = new TempDir();
            string passwd = Path.Combine(dir.Path, "passwd");
            File.WriteAllText(passwd, "");
            foreach (string[] u in new[] { new[] { "alice", "apw" }, new[] { "bob", "bpw" } })
            {
                using PeerProcess p = PeerProcess.Run("mosquitto_passwd", "-b", passwd, u[0], u[1]);
            }

            string acl = dir.Write("acl", "user alice\ntopic read news/#\ntopic read alerts/#\nuser bob\ntopic write #\n");
            int port = ConfiguredBrokerProcess.FreePort();
            string conf = dir.Write("mosquitto.conf", "listener " + port + " 127.0.0.1\npassword_file passwd\nacl_file acl\n");

            using ConfiguredBrokerProcess broker = ConfiguredBrokerProcess.Ours(conf, port);
            using PeerProcess alice = PeerProcess.Start("mosquitto_sub", Client(port, "alice", "alice", "apw", "-t", "news/#", "-t", "alerts/#", "-v", "-d", "-q", 1));
            alice.WaitForLine("Subscribed (mid: 1): 1, 1");
            Publish(port, "news/a", "before");
            alice.WaitForLine("news/a before");

            // Revoke news/#: after the reload nothing more arrives on it, while alerts/# still does (so the connection stays).
            File.WriteAllText(acl, "user alice\ntopic read alerts/#\nuser bob\ntopic write #\n");
            broker.Hangup();
            broker.WaitForLine("Reload applied: 0 clients disconnected");
            Publish(port, "news/a", "after-revoke");
            Publish(port, "alerts/a", "still-allowed");
            alice.WaitForLine("alerts/a still-allowed");
            Assert.DoesNotContain("after-revoke", alice.Output);
            Assert.False(broker.HasExited, "SIGHUP must not end the broker (Mosquitto reloads; it does not exit 129)");

            // A broken ACL file keeps the old one in force, and the log names the line.
            File.WriteAllText(acl, "user alice\ntopic read alerts/#/bad\n");
            broker.Hangup();
            string why = broker.WaitForLine(acl + ":2: 'alerts/#/bad' is not a valid topic filter");
            Assert.Contains("keeping the ACL file loaded before", why);
            broker.WaitForLine("Reload applied");
            Publish(port, "alerts/b", "old-acl-kept");
            alice.WaitForLine("alerts/b old-acl-kept");

            // Remove alice from the password file: she is disconnected (and mosquitto_sub, trying again, is refused).
            File.WriteAllText(acl, "user alice\ntopic read alerts/#\nuser bob\ntopic write #\n");
            using (PeerProcess remove = PeerProcess.Run("mosquitto_passwd", "-D", passwd, "alice"))
            {
                Assert.Equal(0, remove.ExitCode);
            }

            broker.Hangup();
            broker.WaitForLine("Reload applied: 1 client disconnected");
            broker.WaitForLine("Client alice disconnected: its access was revoked by a reload.");
            broker.WaitForLine("Client alice disconnected, not authorised.");
            Assert.False(broker.HasExited);
        }
    }
}
