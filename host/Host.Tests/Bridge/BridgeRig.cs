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
        private readonly bool _oursUpstream;
        private ConfiguredBrokerProcess _upstream;
        private ConfiguredBrokerProcess _ours;

        /// <param name="connection">The lines of the connection block after `connection`/`address` (topic lines and options).</param>
        /// <param name="upstreamExtra">Further mosquitto.conf lines for the upstream (passwords, limits).</param>
        /// <param name="persistentUpstream">The upstream saves its sessions and messages in a folder of the rig's (see <see cref="PersistenceLines"/>).</param>
        /// <param name="upstreamPort">The upstream's port, when the test chose it (0: a free one).</param>
        /// <param name="bridgeToPort">The port the bridge dials (a proxy's), when not the upstream's own.</param>
        /// <param name="oursUpstream">The upstream is a second instance of our broker program (upstreamExtra in our config syntax) instead of mosquitto.</param>
        public BridgeRig(string connection, string upstreamExtra = "", string oursExtra = "", bool persistentUpstream = false,
            int upstreamPort = 0, int bridgeToPort = 0, bool oursUpstream = false)
        {
            _oursUpstream = oursUpstream;
            if (!oursUpstream)
            {
                Peers.Require("mosquitto");
            }

            UpstreamPort = upstreamPort != 0 ? upstreamPort : ConfiguredBrokerProcess.FreePort();
            OurPort = ConfiguredBrokerProcess.FreePort();
            string persistence = persistentUpstream ? PersistenceLines(_dir.Path) : "";
            _upstreamConf = _dir.Write("upstream.conf", "listener " + UpstreamPort + " 127.0.0.1\nallow_anonymous true\n" + persistence + upstreamExtra + "\n");
            StartUpstream();
            OurConfig = "listener " + OurPort + " 127.0.0.1\nallow_anonymous true\n" + oursExtra + "\n"
                + "connection up\naddress 127.0.0.1:" + (bridgeToPort != 0 ? bridgeToPort : UpstreamPort) + "\nrestart_timeout 1 2\n" + connection + "\n";
            _ours = ConfiguredBrokerProcess.Ours(_dir.Write("ours.conf", OurConfig), OurPort);
        }

        public int UpstreamPort { get; }

        /// <summary>
        /// mosquitto.conf lines for a persistent upstream in a folder of its own. The folder is writable by everyone:
        /// mosquitto started as root drops to the `mosquitto` user before it saves, and a root-owned 0755 folder made it
        /// log "Error: Permission denied." at SIGTERM and lose every session across its restart (the cause of the
        /// first outage test's 300 s time-outs: the subscriber's queue was gone, so the forwarded messages had nobody
        /// to go to). It saves at SIGTERM; autosave lines (for a SIGKILL) come through upstreamExtra.
        /// </summary>
        public static string PersistenceLines(string parent)
        {
            string db = System.IO.Path.Combine(parent, "upstream-db");
            Directory.CreateDirectory(db);
            // rwxrwxrwx (the umask would take the group's and others' write away from CreateDirectory's mode).
            File.SetUnixFileMode(db, (UnixFileMode)0x1FF);
            return "persistence true\npersistence_location " + db + "/\n";
        }

        public int OurPort { get; }

        public string OurConfig { get; }

        public string Folder { get { return _dir.Path; } }

        public ConfiguredBrokerProcess Ours { get { return _ours; } }

        public ConfiguredBrokerProcess Upstream { get { return _upstream; } }

        public void StartUpstream()
        {
            _upstream = _oursUpstream ? ConfiguredBrokerProcess.Ours(_upstreamConf, UpstreamPort) : ConfiguredBrokerProcess.Mosquitto(_upstreamConf, UpstreamPort);
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
            Wait(done, what, output, 30);
        }

        /// <summary>Polls until done holds; fails the test with what after the given seconds.</summary>
        public static void Wait(Func<bool> done, string what, Func<string> output, int seconds)
        {
            DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
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
