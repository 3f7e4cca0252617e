using System.IO;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The open doors of issue 9, each tried with Debian's mosquitto_pub/mosquitto_sub against the host program
    /// exactly as a user would, with the verdict Mosquitto 2.0.11 gives for the same configuration.
    /// </summary>
    public class SecureByDefaultTests
    {
        private static object[] At(HostBroker broker, params object[] rest)
        {
            object[] all = new object[rest.Length + 4];
            all[0] = "-h";
            all[1] = "127.0.0.1";
            all[2] = "-p";
            all[3] = broker.Port;
            rest.CopyTo(all, 4);
            return all;
        }

        [SkippableFact]
        public void Anonymous_off_without_a_password_file_refuses_any_user_name()
        {
            Peers.Require("mosquitto_pub");
            using ConfiguredHostBroker broker = new ConfiguredHostBroker("allow_anonymous false\n", null);

            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", At(broker, "-u", "anyone", "-P", "whatever", "-t", "t", "-m", "x"));

            Assert.NotEqual(0, pub.ExitCode);
            Assert.Contains("Connection Refused", pub.Output);
        }

        [SkippableFact]
        public void Acl_file_holding_no_rule_denies_everything()
        {
            Peers.Require("mosquitto_sub");
            using ConfiguredHostBroker broker = new ConfiguredHostBroker("acl_file acl\n",
                dir => File.WriteAllText(Path.Combine(dir, "acl"), "# nothing granted yet\n\n   \n"));

            using PeerProcess sub = PeerProcess.Run("mosquitto_sub", At(broker, "-t", "a/#", "-d", "-C", "1", "-W", "2"));

            Assert.Contains("Subscribed (mid: 1): 128", sub.Output);
        }

        [SkippableFact]
        public void Password_file_without_a_valid_user_refuses_every_user()
        {
            Peers.Require("mosquitto_pub");
            using ConfiguredHostBroker broker = new ConfiguredHostBroker("allow_anonymous false\npassword_file passwords\n",
                dir => File.WriteAllText(Path.Combine(dir, "passwords"), "# users to come\n\n"));

            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", At(broker, "-u", "alice", "-P", "x", "-t", "t", "-m", "x"));

            Assert.NotEqual(0, pub.ExitCode);
            Assert.Contains("Connection Refused", pub.Output);
        }

        [SkippableFact]
        public void Empty_password_is_refused_even_when_the_file_holds_its_hash()
        {
            Peers.Require("mosquitto_pub");
            // mosquitto_passwd -b FILE alice "" writes such a line too; Mosquitto 2.0.11 still refuses alice with -P ''.
            using ConfiguredHostBroker broker = new ConfiguredHostBroker("allow_anonymous false\npassword_file passwords\n",
                dir => File.WriteAllText(Path.Combine(dir, "passwords"), "alice:" + PasswordHash.Create(new byte[0]) + "\n"));

            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", At(broker, "-u", "alice", "-P", "", "-t", "t", "-m", "x"));

            Assert.NotEqual(0, pub.ExitCode);
            Assert.Contains("Connection Refused", pub.Output);
        }
    }
}
