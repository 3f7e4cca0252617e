using System.IO;
using Xunit;

namespace Host.Tests
{
    /// <summary>A TLS file the bridge cannot load stops our broker at start-up with the reason, like any bad setting.</summary>
    public sealed class BridgeTlsStartupTests
    {
        [Theory]
        [InlineData("bridge_cafile {0}/missing.pem", "connection up: bridge_cafile '{0}/missing.pem' cannot be read as PEM certificates")]
        [InlineData("bridge_cafile {0}/empty.pem", "connection up: no CA certificate in {0}/empty.pem")]
        [InlineData("bridge_capath {0}/nowhere", "connection up: bridge_capath '{0}/nowhere' is not a folder")]
        [InlineData("bridge_cafile {0}/empty.pem\nbridge_certfile {0}/none.pem\nbridge_keyfile {0}/none.key", "connection up: no CA certificate in")]
        public void A_tls_file_that_cannot_be_loaded_refuses_to_start(string lines, string reason)
        {
            using TempDir dir = new TempDir();
            dir.Write("empty.pem", "");
            int port = ConfiguredBrokerProcess.FreePort();
            string conf = dir.Write("ours.conf", "listener " + port + " 127.0.0.1\nconnection up\naddress 127.0.0.1:1\ntopic a/# out 1\n"
                + string.Format(lines, dir.Path) + "\n");
            using PeerProcess p = PeerProcess.StartPath(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                Path.Combine(System.AppContext.BaseDirectory, "Broker.Host.dll"), "-c", conf);
            p.WaitForExit();
            Assert.Equal(1, p.ExitCode);
            Assert.Contains(string.Format(reason, dir.Path), p.Output, System.StringComparison.Ordinal);
            Assert.Contains("Broker not started: fix the connection block above.", p.Output, System.StringComparison.Ordinal);
        }
    }
}
