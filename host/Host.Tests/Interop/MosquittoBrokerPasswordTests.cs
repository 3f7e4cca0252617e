using System.IO;
using System.Net.Sockets;
using System.Net;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    /// <summary>The other direction of password file compatibility: Debian's mosquitto broker checks the hashes our passwd wrote.</summary>
    public class MosquittoBrokerPasswordTests
    {
        [SkippableFact]
        public void Debians_mosquitto_accepts_the_passwords_our_passwd_command_hashed()
        {
            Peers.Require("mosquitto");
            Peers.Require("mosquitto_pub");
            using TempDir dir = new TempDir();
            string passwords = Path.Combine(dir.Path, "passwords");
            Assert.Equal(0, PasswdCommand.Run(new[] { "-c", "-b", passwords, "carol", "open sesame" }, TextWriter.Null, TextWriter.Null, null));
            int port = FreePort();
            // "user root" keeps a broker started as root from switching to a user that cannot read the 0600 file.
            string conf = dir.Write("mosquitto.conf", "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file " + passwords + "\nuser root\n");

            using PeerProcess mosquitto = PeerProcess.Start("mosquitto", "-c", conf, "-v");
            mosquitto.WaitForLine("running");

            using PeerProcess right = PeerProcess.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "carol", "-P", "open sesame", "-t", "t", "-m", "x");
            using PeerProcess wrong = PeerProcess.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "carol", "-P", "open sesam", "-t", "t", "-m", "x");

            Assert.Equal(0, right.ExitCode);
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains("Connection Refused", wrong.Output);
        }

        private static int FreePort()
        {
            using Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)s.LocalEndPoint).Port;
        }
    }
}
