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
}
