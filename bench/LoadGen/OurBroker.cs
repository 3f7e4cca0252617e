using System.IO;
using System.Diagnostics;

namespace LoadGen
{
    /// <summary>Our host broker program (host/Broker.Host, built Release next to this program by the project reference).</summary>
    public static class OurBroker
    {
        public static BrokerUnderTest Create(string dll, string name = "ours", params string[] extra)
        {
            int port = BrokerUnderTest.FreePort();
            var args = new System.Collections.Generic.List<string> { dll, "-p", port.ToString() };
            args.AddRange(extra);
            return new BrokerUnderTest(name, port, new ProcessStartInfo("dotnet", args), true);
        }

        /// <summary>
        /// Ours with Mosquitto's queue setting of the comparison (max_queued_messages 1000000), the rest default: shows
        /// which part of a QoS 0 shortfall is the setting (ours defaults to Mosquitto's own default of 1,000).
        /// </summary>
        public static BrokerUnderTest DeepQueue(string dll)
        {
            int port = BrokerUnderTest.FreePort();
            string conf = Path.Combine(Path.GetTempPath(), "ours-q1m-" + port + ".conf");
            File.WriteAllText(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\nlog_dest none\n");
            return new BrokerUnderTest("ours-q1m", port, new ProcessStartInfo("dotnet", new[] { dll, "-c", conf }), true);
        }

        /// <summary>Ours with persistence on (issue 13): a generated config, the store in a fresh folder, fsync as given.</summary>
        public static BrokerUnderTest Persistent(string dll, string fsync)
        {
            int port = BrokerUnderTest.FreePort();
            string dir = Path.Combine(Path.GetTempPath(), "ours-bench-store-" + port);
            Directory.CreateDirectory(dir);
            string conf = Path.Combine(dir, "ours.conf");
            File.WriteAllText(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location " + dir
                + "/\nfsync " + fsync + "\nlog_dest none\n");
            return new BrokerUnderTest("ours-" + fsync, port, new ProcessStartInfo("dotnet", new[] { dll, "-c", conf }), true);
        }
    }
}
