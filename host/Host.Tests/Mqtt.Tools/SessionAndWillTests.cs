using Xunit;

namespace Host.Tests
{
    /// <summary>What a broker keeps for our client beyond one connection: its will, and its persistent session.</summary>
    public class SessionAndWillTests
    {
        [SkippableFact]
        public void Will_of_a_killed_client_is_published_by_the_broker()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess watcher = PubSubTests.Subscribed(broker, "-t", "wills/#", "-v", "-C", "1", "-q", "1");
            using ToolProcess doomed = PubSubTests.Subscribed(broker, "-t", "anything", "-i", "doomed",
                "--will-topic", "wills/doomed", "--will-payload", "gone", "--will-qos", "1", "-k", "5");

            // SIGKILL: no DISCONNECT reaches the broker, so it must send the will.
            doomed.Kill();
            Assert.Equal(0, watcher.WaitForExit());
            Assert.Equal(new[] { "wills/doomed gone" }, watcher.MessageLines());
        }

        [SkippableFact]
        public void Will_is_not_published_after_a_clean_disconnect()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess watcher = PubSubTests.Subscribed(broker, "-t", "wills/#", "-v", "-q", "1");
            using (ToolProcess polite = ToolProcess.Ours("pub", "-p", broker.PortText, "-t", "x", "-m", "bye", "-q", "1",
                "--will-topic", "wills/polite", "--will-payload", "should not appear"))
            {
                Assert.Equal(0, polite.WaitForExit());
            }

            // A marker published after the polite client left: once it arrives, a will would have arrived first.
            using (ToolProcess marker = PubSubTests.Pub(broker, "-t", "wills/marker", "-m", "end", "-q", "1"))
            {
                Assert.Equal(0, marker.ExitCode);
            }

            watcher.WaitForStdout("wills/marker end");
            Assert.Equal(new[] { "wills/marker end" }, watcher.MessageLines());
        }

        [SkippableFact]
        public void Sigterm_makes_sub_disconnect_cleanly_so_no_will_is_sent()
        {
            Skip.If(System.OperatingSystem.IsWindows(), "SIGTERM is POSIX");
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess watcher = PubSubTests.Subscribed(broker, "-t", "wills/#", "-v", "-q", "1");
            using ToolProcess stopped = PubSubTests.Subscribed(broker, "-t", "anything",
                "--will-topic", "wills/stopped", "--will-payload", "should not appear");

            using (var kill = System.Diagnostics.Process.Start("kill", "-TERM " + stopped.Id))
            {
                kill.WaitForExit(10000);
            }

            Assert.Equal(0, stopped.WaitForExit());
            Assert.EndsWith("sending DISCONNECT\n", stopped.Stdout);
            using (ToolProcess marker = PubSubTests.Pub(broker, "-t", "wills/marker", "-m", "end", "-q", "1"))
            {
                Assert.Equal(0, marker.ExitCode);
            }

            watcher.WaitForStdout("wills/marker end");
            Assert.Equal(new[] { "wills/marker end" }, watcher.MessageLines());
        }

        [SkippableFact]
        public void Persistent_session_receives_qos1_messages_published_while_it_was_away()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            // First visit: subscribe at QoS 1 with clean session off, then leave (DISCONNECT after -W).
            using (ToolProcess first = ToolProcess.Ours("sub", "-p", broker.PortText, "-c", "-i", "persistent-sub", "-q", "1",
                "-t", "away/#", "-W", "1", "-d"))
            {
                Assert.Equal(27, first.WaitForExit());
                Assert.Contains("Subscribed (mid: 1): 1", first.Stdout);
            }

            for (int i = 1; i <= 3; i++)
            {
                using ToolProcess pub = PubSubTests.Pub(broker, "-t", "away/" + i, "-m", "while away " + i, "-q", "1");
                Assert.Equal(0, pub.ExitCode);
            }

            using ToolProcess back = ToolProcess.Ours("sub", "-p", broker.PortText, "-c", "-i", "persistent-sub", "-q", "1",
                "-t", "away/#", "-v", "-C", "3", "-d");
            Assert.Equal(0, back.WaitForExit());
            Assert.Equal(new[] { "away/1 while away 1", "away/2 while away 2", "away/3 while away 3" }, back.MessageLines());
            Assert.Contains("received CONNACK (0)", back.Stdout);
            Assert.Equal(3, PubSubTests.CountOf(back.Stdout, "sending PUBACK"));
        }

        [SkippableFact]
        public void Clean_session_gets_nothing_that_was_published_while_it_was_away()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using (ToolProcess first = ToolProcess.Ours("sub", "-p", broker.PortText, "-i", "clean-sub", "-q", "1", "-t", "gone/#", "-W", "1"))
            {
                Assert.Equal(27, first.WaitForExit());
            }

            using (ToolProcess pub = PubSubTests.Pub(broker, "-t", "gone/1", "-m", "lost", "-q", "1"))
            {
                Assert.Equal(0, pub.ExitCode);
            }

            using ToolProcess back = ToolProcess.Ours("sub", "-p", broker.PortText, "-i", "clean-sub", "-q", "1", "-t", "gone/#", "-W", "1");
            Assert.Equal(27, back.WaitForExit());
            Assert.Equal("", back.Stdout);
        }
    }
}
