using System;

namespace Host.Tests
{
    /// <summary>
    /// Debian's mosquitto with a TLS listener (certificates from a TestCa made here) plus a plain one for the test's
    /// own clients, and our broker bridging to the TLS one by the name `localhost`.
    /// </summary>
    public sealed class TlsBridgeRig : IDisposable
    {
        private readonly TempDir _dir = new TempDir();
        private readonly TestCa _ca = new TestCa("bridge test CA");
        private readonly TestCa _otherCa = new TestCa("some other CA");
        private ConfiguredBrokerProcess _upstream;
        private ConfiguredBrokerProcess _ours;

        /// <param name="serverName">The DNS name the upstream's certificate carries (the bridge connects to localhost).</param>
        /// <param name="requireCertificate">The upstream's TLS listener requires a client certificate from the test CA.</param>
        public TlsBridgeRig(string serverName = "localhost", bool requireCertificate = false)
        {
            Peers.Require("mosquitto");
            CaFile = _ca.WriteCa(_dir.Path, "ca.pem");
            OtherCaFile = _otherCa.WriteCa(_dir.Path, "other-ca.pem");
            string server = _ca.Issue(_dir.Path, "server", serverName, true);
            ClientStem = _ca.Issue(_dir.Path, "bridge-client", "gateway-1", false);
            UpstreamPort = ConfiguredBrokerProcess.FreePort();
            TlsPort = ConfiguredBrokerProcess.FreePort();
            OurPort = ConfiguredBrokerProcess.FreePort();
            string conf = _dir.Write("upstream.conf", "allow_anonymous true\nlistener " + UpstreamPort + " 127.0.0.1\n"
                + "listener " + TlsPort + " 127.0.0.1\ncafile " + CaFile + "\ncertfile " + server + ".pem\nkeyfile " + server + ".key\n"
                + (requireCertificate ? "require_certificate true\n" : ""));
            _upstream = ConfiguredBrokerProcess.Mosquitto(conf, UpstreamPort, TlsPort);
        }

        public string CaFile { get; }

        public string OtherCaFile { get; }

        /// <summary>Path without extension of a client certificate (.pem) and key (.key) the test CA issued.</summary>
        public string ClientStem { get; }

        public int UpstreamPort { get; }

        public int TlsPort { get; }

        public int OurPort { get; }

        public string Folder { get { return _dir.Path; } }

        public ConfiguredBrokerProcess Ours { get { return _ours; } }

        public ConfiguredBrokerProcess Upstream { get { return _upstream; } }

        /// <summary>Starts our broker with a `connection up` block to localhost:TlsPort plus these lines.</summary>
        public void StartOurs(string connection)
        {
            string conf = "listener " + OurPort + " 127.0.0.1\nallow_anonymous true\n"
                + "connection up\naddress localhost:" + TlsPort + "\nrestart_timeout 1 2\n" + connection + "\n";
            _ours = ConfiguredBrokerProcess.Ours(_dir.Write("ours.conf", conf), OurPort);
        }

        public void WaitBridgeUp()
        {
            BridgeRig.Wait(() => _ours.Output.Contains("Bridge up: connected to upstream", StringComparison.Ordinal), "the TLS bridge up", () => _ours.Output);
        }

        public void WaitLog(string text, int times = 1)
        {
            BridgeRig.Wait(() => BridgeRig.Count(_ours.Output, text) >= times, "'" + text + "' in our log", () => _ours.Output);
        }

        public void Dispose()
        {
            _ours?.Dispose();
            _upstream?.Dispose();
            _ca.Dispose();
            _otherCa.Dispose();
            _dir.Dispose();
        }
    }
}
