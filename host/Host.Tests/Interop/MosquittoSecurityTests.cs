using Xunit;

namespace Host.Tests
{
    /// <summary>mosquitto_pub/mosquitto_sub against the broker with a hashed password file and an ACL.</summary>
    public class MosquittoSecurityTests : IClassFixture<SecureHostBroker>
    {
        private readonly SecureHostBroker _broker;

        public MosquittoSecurityTests(SecureHostBroker broker)
        {
            _broker = broker;
        }

        private object[] As(string user, string password, params object[] rest)
        {
            object[] head = user == null
                ? new object[] { "-h", "127.0.0.1", "-p", _broker.Port }
                : new object[] { "-h", "127.0.0.1", "-p", _broker.Port, "-u", user, "-P", password };
            object[] all = new object[head.Length + rest.Length];
            head.CopyTo(all, 0);
            rest.CopyTo(all, head.Length);
            return all;
        }

        [SkippableFact]
        public void The_right_password_is_accepted_and_a_wrong_one_or_none_refused()
        {
            Peers.Require("mosquitto_pub");

            using PeerProcess right = PeerProcess.Run("mosquitto_pub", As("alice", SecureHostBroker.AlicePassword, "-i", "alice-ok", "-t", "alice/x", "-m", "hi"));
            using PeerProcess wrong = PeerProcess.Run("mosquitto_pub", As("alice", "guess", "-i", "alice-bad", "-t", "alice/x", "-m", "hi"));
            using PeerProcess anonymous = PeerProcess.Run("mosquitto_pub", As(null, null, "-i", "nobody", "-t", "alice/x", "-m", "hi"));

            Assert.Equal(0, right.ExitCode);
            Assert.NotEqual(0, wrong.ExitCode);
            // CONNACK 5, as Mosquitto 2.0 answers a wrong password.
            Assert.Contains("Connection Refused: not authorised", wrong.Output);
            Assert.NotEqual(0, anonymous.ExitCode);
            Assert.Contains("Connection Refused: not authorised", anonymous.Output);
            Assert.True(_broker.WaitForLog("Client alice-bad disconnected, not authorised.", PeerProcess.Patience), _broker.Log);
            Assert.Contains("as alice-ok (p2, c1, k60, u'alice')", _broker.Log);
        }

        [SkippableFact]
        public void A_subscription_the_acl_does_not_grant_is_refused()
        {
            Peers.Require("mosquitto_sub");

            using PeerProcess sub = PeerProcess.Run("mosquitto_sub", As("alice", SecureHostBroker.AlicePassword, "-t", "secret/#", "-E", "-d"));

            Assert.Contains("Subscribed (mid: 1): 128", sub.Output);
        }

        [SkippableFact]
        public void A_publish_the_acl_does_not_grant_is_not_delivered()
        {
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_pub");
            using PeerProcess watcher = PeerProcess.Start("mosquitto_sub", As("bob", SecureHostBroker.BobPassword, "-i", "bob-watch", "-t", "public/#", "-C", 1, "-v", "-d"));
            watcher.WaitForLine("Subscribed (mid: 1): 0");

            // alice may only read public/: her message is dropped (Mosquitto still completes the QoS 1 flow).
            Assert.Equal(0, PeerProcess.Run("mosquitto_pub", As("alice", SecureHostBroker.AlicePassword, "-t", "public/news", "-m", "from-alice", "-q", 1)).ExitCode);
            Assert.Equal(0, PeerProcess.Run("mosquitto_pub", As("bob", SecureHostBroker.BobPassword, "-t", "public/news", "-m", "from-bob", "-q", 1)).ExitCode);

            // Delivery keeps publication order, so had alice's message passed it would be the one line printed.
            watcher.WaitForLine("public/news ");
            watcher.WaitForExit();
            Assert.Contains("public/news from-bob", watcher.Output);
            Assert.DoesNotContain("from-alice", watcher.Output);
        }
    }
}
