using Xunit;

namespace Host.Tests
{
    /// <summary>Debian's mosquitto_pub and mosquitto_sub (a client we did not write) against our host broker.</summary>
    public class MosquittoClientTests : IClassFixture<HostBroker>
    {
        private readonly HostBroker _broker;

        public MosquittoClientTests(HostBroker broker)
        {
            _broker = broker;
        }

        private object[] At(params object[] rest)
        {
            object[] all = new object[rest.Length + 4];
            all[0] = "-h";
            all[1] = "127.0.0.1";
            all[2] = "-p";
            all[3] = _broker.Port;
            rest.CopyTo(all, 4);
            return all;
        }

        private static void RequirePeers()
        {
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_pub");
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void A_message_makes_the_round_trip_at_each_qos(int qos)
        {
            RequirePeers();
            string topic = "round/q" + qos;
            using PeerProcess sub = PeerProcess.Start("mosquitto_sub", At("-i", "sub-q" + qos, "-t", topic, "-q", qos, "-C", 1, "-v", "-d"));
            sub.WaitForLine("Subscribed (mid: 1): " + qos);

            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", At("-t", topic, "-m", "hello " + qos, "-q", qos, "-d"));

            Assert.Equal(0, pub.ExitCode);
            if (qos == 1)
            {
                Assert.Contains("received PUBACK", pub.Output);
            }

            if (qos == 2)
            {
                Assert.Contains("received PUBREC", pub.Output);
                Assert.Contains("received PUBCOMP", pub.Output);
            }

            Assert.Contains("(d0, q" + qos + ", r0,", sub.WaitForLine("received PUBLISH"));
            sub.WaitForLine(topic + " hello " + qos);
            sub.WaitForExit();
            Assert.Equal(0, sub.ExitCode);
        }

        [SkippableFact]
        public void A_retained_message_reaches_a_later_subscriber()
        {
            RequirePeers();
            using PeerProcess pub = PeerProcess.Run("mosquitto_pub", At("-t", "retained/kitchen", "-m", "21.5", "-q", 1, "-r"));
            Assert.Equal(0, pub.ExitCode);

            using PeerProcess sub = PeerProcess.Run("mosquitto_sub", At("-t", "retained/#", "-C", 1, "-v", "-d"));

            Assert.Equal(0, sub.ExitCode);
            Assert.Contains("r1", sub.WaitForLine("received PUBLISH"));
            sub.WaitForLine("retained/kitchen 21.5");
        }

        [SkippableFact]
        public void The_will_of_a_killed_client_is_published()
        {
            RequirePeers();
            using PeerProcess watcher = PeerProcess.Start("mosquitto_sub", At("-i", "watcher", "-t", "will/#", "-C", 1, "-v", "-d"));
            watcher.WaitForLine("Subscribed (mid: 1)");
            using PeerProcess dying = PeerProcess.Start("mosquitto_sub", At("-i", "dying", "-t", "anything", "-d",
                "--will-topic", "will/dying", "--will-payload", "gone", "--will-qos", 1));
            dying.WaitForLine("Subscribed (mid: 1)");

            dying.Kill();

            watcher.WaitForLine("will/dying gone");
            watcher.WaitForExit();
            Assert.Equal(0, watcher.ExitCode);
            Assert.True(_broker.WaitForLog("Client dying closed its connection.", PeerProcess.Patience), _broker.Log);
        }

        [SkippableFact]
        public void A_persistent_session_receives_qos1_messages_published_while_it_was_away()
        {
            RequirePeers();
            using (PeerProcess first = PeerProcess.Run("mosquitto_sub", At("-c", "-i", "away-client", "-q", 1, "-t", "away/news", "-E")))
            {
                Assert.Equal(0, first.ExitCode);
            }

            Assert.True(_broker.WaitForLog("Client away-client disconnected.", PeerProcess.Patience));

            Assert.Equal(0, PeerProcess.Run("mosquitto_pub", At("-t", "away/news", "-m", "first", "-q", 1)).ExitCode);
            Assert.Equal(0, PeerProcess.Run("mosquitto_pub", At("-t", "away/news", "-m", "second", "-q", 1)).ExitCode);

            using PeerProcess back = PeerProcess.Run("mosquitto_sub", At("-c", "-i", "away-client", "-q", 1, "-t", "away/news", "-C", 2, "-v"));

            Assert.Equal(0, back.ExitCode);
            Assert.Equal("away/news first\naway/news second", back.Output);
            Assert.Contains("as away-client (p2, c0, k60)", _broker.Log);
        }
    }

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
