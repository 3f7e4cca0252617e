using Xunit;

namespace Host.Tests
{
    /// <summary>-u/-P against a mosquitto with a password file: accepted, refused, and the refusal's exit code.</summary>
    public class CredentialTests
    {
        [SkippableFact]
        public void Right_password_is_accepted_by_pub_and_sub()
        {
            using MosquittoBroker broker = MosquittoBroker.Start("alice", "s3cret");
            using ToolProcess sub = PubSubTests.Subscribed(broker, "-u", "alice", "-P", "s3cret", "-t", "auth", "-C", "1");
            using ToolProcess pub = PubSubTests.Pub(broker, "-u", "alice", "-P", "s3cret", "-t", "auth", "-m", "let in", "-q", "1");
            Assert.Equal(0, pub.ExitCode);
            Assert.Equal("", pub.Stderr);
            Assert.Equal(0, sub.WaitForExit());
            Assert.Equal(new[] { "let in" }, sub.MessageLines());
        }

        [SkippableTheory]
        [InlineData("pub", "wrong")]
        [InlineData("sub", "wrong")]
        [InlineData("pub", null)]
        [InlineData("sub", null)]
        public void Wrong_or_missing_password_is_refused_with_the_CONNACK_code_as_exit_code(string command, string password)
        {
            using MosquittoBroker broker = MosquittoBroker.Start("alice", "s3cret");
            var args = new System.Collections.Generic.List<string> { command, "-p", broker.PortText, "-t", "auth" };
            if (password != null)
            {
                args.AddRange(new[] { "-u", "alice", "-P", password });
            }

            if (command == "pub")
            {
                args.AddRange(new[] { "-m", "x" });
            }

            using ToolProcess ours = ToolProcess.Ours(args.ToArray());
            // Mosquitto 2 answers bad credentials with CONNACK 5 (not authorised); the tools exit with that code.
            Assert.Equal(5, ours.WaitForExit());
            string expected = "Connection error: Connection Refused: not authorised.\n" +
                (command == "pub" ? "Error: The connection was refused.\n" : "");
            Assert.Equal(expected, ours.Stderr);

            // And so does the real client, given the same arguments.
            string real = Peers.Find("mosquitto_" + command);
            if (real != null)
            {
                args.RemoveAt(0);
                using ToolProcess theirs = ToolProcess.Peer(real, args.ToArray());
                Assert.Equal(5, theirs.WaitForExit());
                Assert.Equal(expected, theirs.Stderr);
            }
        }

        [SkippableFact]
        public void Quiet_silences_the_refusal_but_keeps_the_exit_code()
        {
            using MosquittoBroker broker = MosquittoBroker.Start("alice", "s3cret");
            using ToolProcess pub = ToolProcess.Ours("pub", "-p", broker.PortText, "-t", "a", "-m", "x", "-u", "alice", "-P", "no", "--quiet");
            Assert.Equal(5, pub.WaitForExit());
            Assert.Equal("", pub.Stderr);
        }
    }
}
