using System.IO;
using System;

namespace Host.Tests
{
    /// <summary>
    /// Debian's mosquitto as the upstream and our broker program as the bridging side, each its own process on a
    /// free loopback port, with config files in a folder of the test's own.
    /// </summary>
    public sealed class BridgeRig : IDisposable
    {
        private readonly TempDir _dir = new TempDir();
        private readonly string _upstreamConf;
        private ConfiguredBrokerProcess _upstream;
        private ConfiguredBrokerProcess _ours;

        /// <param name="connection">The lines of the connection block after `connection`/`address` (topic lines and options).</param>
        /// <param name="upstreamExtra">Further mosquitto.conf lines for the upstream (persistence, passwords).</param>
        public BridgeRig(string connection, string upstreamExtra = "", string oursExtra = "")
        {
            Peers.Require("mosquitto");
            UpstreamPort = ConfiguredBrokerProcess.FreePort();
            OurPort = ConfiguredBrokerProcess.FreePort();
            _upstreamConf = _dir.Write("upstream.conf", "listener " + UpstreamPort + " 127.0.0.1\nallow_anonymous true\n" + upstreamExtra + "\n");
            StartUpstream();
            OurConfig = "listener " + OurPort + " 127.0.0.1\nallow_anonymous true\n" + oursExtra + "\n"
                + "connection up\naddress 127.0.0.1:" + UpstreamPort + "\nrestart_timeout 1 2\n" + connection + "\n";
            _ours = ConfiguredBrokerProcess.Ours(_dir.Write("ours.conf", OurConfig), OurPort);
        }

        public int UpstreamPort { get; }

        public int OurPort { get; }

        public string OurConfig { get; }

        public string Folder { get { return _dir.Path; } }

        public ConfiguredBrokerProcess Ours { get { return _ours; } }

        public ConfiguredBrokerProcess Upstream { get { return _upstream; } }

        public void StartUpstream()
        {
            _upstream = ConfiguredBrokerProcess.Mosquitto(_upstreamConf, UpstreamPort);
        }

        /// <summary>Starts our broker again with the same config (after a Kill: a crash and a restart).</summary>
        public void RestartOurs()
        {
            _ours?.Dispose();
            _ours = ConfiguredBrokerProcess.Ours(System.IO.Path.Combine(_dir.Path, "ours.conf"), OurPort);
        }

        /// <summary>Waits until our bridge reports an accepted upstream connection for the n-th time.</summary>
        public void WaitBridgeUp(int times = 1)
        {
            Wait(() => Count(_ours.Output, "Bridge up: connected to upstream") >= times, "bridge connected " + times + " times", () => _ours.Output);
        }

        /// <summary>Polls until done holds; fails the test with what after 30 s.</summary>
        public static void Wait(Func<bool> done, string what, Func<string> output)
        {
            DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!done())
            {
                if (DateTime.UtcNow > end)
                {
                    throw new Xunit.Sdk.XunitException("timed out waiting for " + what + ":\n" + output());
                }

                System.Threading.Thread.Sleep(20);
            }
        }

        public static int Count(string text, string what)
        {
            int n = 0;
            for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            {
                n++;
            }

            return n;
        }

        public void Dispose()
        {
            _ours?.Dispose();
            _upstream?.Dispose();
            _dir.Dispose();
        }
    }
}
