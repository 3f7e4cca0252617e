using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System;

namespace LoadGen
{
    /// <summary>
    /// The bridged scenario (issue 12): publishers on a bridging broker, the subscriber on its upstream (Debian's
    /// mosquitto), open loop (publishers held only by their QoS window). Two setups in one run, with the same
    /// mosquitto.conf apart from the listener port: ours (host/Broker.Host) bridging, and mosquitto bridging; each
    /// with a fresh upstream. Reports msgs/s at the upstream subscriber and the messages lost on the way.
    /// </summary>
    public static class Bridged
    {
        public sealed class Row
        {
            public string Setup;
            public RunResult Result;
            public double BridgeCpuSeconds;
        }

        public static List<Row> Run(HarnessOptions o)
        {
            string mosquitto = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
            string ours = o.OursDll ?? Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll");
            int messages = o.Short ? 20_000 : 100_000;
            Scenario[] scenarios =
            {
                Scenario.Open(Topology.FanIn, 4, 0, 64, messages),
                Scenario.Open(Topology.FanIn, 4, 1, 64, messages),
                Scenario.Open(Topology.FanIn, 4, 2, 64, messages),
                Scenario.Open(Topology.Pairs, 10, 1, 64, messages),
            };
            var rows = new List<Row>();
            foreach (string setup in new[] { "ours-bridged", "mosquitto-bridged" })
            {
                if (o.Filter != null && !setup.Contains(o.Filter, StringComparison.Ordinal))
                {
                    continue;
                }

                string dir = Path.Combine(Path.GetTempPath(), "bench-bridged-" + Environment.ProcessId + "-" + setup);
                Directory.CreateDirectory(dir);
                int upPort = BrokerUnderTest.FreePort();
                int localPort = BrokerUnderTest.FreePort();
                string upConf = Write(dir, "upstream.conf", "listener " + upPort + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    + "log_dest none\nset_tcp_nodelay true\nmax_queued_messages 1000000\n");
                string localConf = Write(dir, "bridging.conf", Config(localPort, upPort));
                Console.WriteLine(setup + ": bridging config\n  " + File.ReadAllText(localConf).Replace("\n", "\n  "));
                using var upstream = new BrokerUnderTest("upstream", upPort, new ProcessStartInfo(mosquitto, new[] { "-c", upConf }), false);
                using var local = setup == "ours-bridged"
                    ? new BrokerUnderTest(setup, localPort, new ProcessStartInfo("dotnet", new[] { ours, "-c", localConf }), true)
                    : new BrokerUnderTest(setup, localPort, new ProcessStartInfo(mosquitto, new[] { "-c", localConf }), false);
                upstream.Start(TimeSpan.FromSeconds(30));
                local.Start(TimeSpan.FromSeconds(60));
                if (!WarmUp(local, upstream))
                {
                    rows.Add(new Row { Setup = setup, Result = new RunResult { Scenario = scenarios[0], Error = "the bridge did not carry the warm-up" } });
                    continue;
                }

                foreach (Scenario sc in scenarios)
                {
                    for (int r = 0; r < o.Repeat; r++)
                    {
                        double cpu = local.CpuSeconds();
                        RunResult res = Runner.Run(local.EndPoint, sc, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(30), subscribeAt: upstream.EndPoint);
                        var row = new Row { Setup = setup, Result = res, BridgeCpuSeconds = local.CpuSeconds() - cpu };
                        rows.Add(row);
                        Console.WriteLine("  " + setup + " " + sc.Name + ": " + res.MessagesPerSecond.ToString("0") + " msg/s, "
                            + res.Received + "/" + res.Expected + (res.Error != null ? " (" + res.Error + ")" : ""));
                    }
                }

                try
                {
                    Directory.Delete(dir, true);
                }
                catch (IOException)
                {
                }
            }

            return rows;
        }

        /// <summary>
        /// The same file for both bridging brokers (Mosquitto's syntax, which ours reads). `topic # out 2`: the bridge's
        /// subscription takes every QoS, so a QoS 2 row crosses at QoS 2 (the QoS 0 and 1 rows keep theirs).
        /// </summary>
        private static string Config(int localPort, int upPort)
        {
            return "listener " + localPort + " 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\nlog_type error\n"
                + "set_tcp_nodelay true\nmax_queued_messages 1000000\n"
                + "connection up\naddress 127.0.0.1:" + upPort + "\ntopic # out 2\ncleansession true\nrestart_timeout 1 2\n";
        }

        /// <summary>Small QoS 1 runs until one arrives whole: the bridge is connected and its path warm.</summary>
        private static bool WarmUp(BrokerUnderTest local, BrokerUnderTest upstream)
        {
            for (int attempt = 0; attempt < 10; attempt++)
            {
                RunResult r = Runner.Run(local.EndPoint, Scenario.Open(Topology.FanIn, 2, 1, 64, 2000), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(3),
                    subscribeAt: upstream.EndPoint);
                if (r.Error == null && r.Lost == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Write(string dir, string name, string text)
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, text);
            return path;
        }

        public static string Table(List<Row> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| Setup | Scenario (open loop, 64 B) | msgs/s at the upstream subscriber | Received / expected | Lost | Bridging broker CPU s |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (Row r in rows)
            {
                RunResult x = r.Result;
                sb.AppendLine("| " + r.Setup + " | " + x.Scenario.Name + " | " + x.MessagesPerSecond.ToString("N0") + " | " + x.Received.ToString("N0") + " / "
                    + x.Expected.ToString("N0") + " | " + x.Lost.ToString("N0") + (x.Error != null ? " (" + x.Error + ")" : "") + " | "
                    + r.BridgeCpuSeconds.ToString("0.0") + " |");
            }

            return sb.ToString();
        }
    }
}
