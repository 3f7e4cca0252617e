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

        /// <summary>One setup's two brokers and where they keep their files.</summary>
        private sealed class Setup : IDisposable
        {
            public string Name;
            public string Dir;
            public BrokerUnderTest Upstream;
            public BrokerUnderTest Local;

            public void Dispose()
            {
                Local?.Dispose();
                Upstream?.Dispose();
                try
                {
                    Directory.Delete(Dir, true);
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>
        /// Both setups run at once and every cell runs against each in turn, rotating who goes first (as the open
        /// matrix does): one setup after the other let the hypervisor's steal of one period fall on one setup only
        /// (ours' 10 pairs QoS 1 ran at 5.5k-17k against Mosquitto's 34k-38k in one run and at 21k-40k against 23k-31k
        /// in the next).
        /// </summary>
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
            var setups = new List<Setup>();
            try
            {
                foreach (string name in new[] { "ours-bridged", "mosquitto-bridged" })
                {
                    if (o.Filter != null && !name.Contains(o.Filter, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    Setup st = Start(name, mosquitto, ours);
                    if (WarmUp(st.Local, st.Upstream))
                    {
                        setups.Add(st);
                    }
                    else
                    {
                        rows.Add(new Row { Setup = name, Result = new RunResult { Scenario = scenarios[0], Error = "the bridge did not carry the warm-up" } });
                        st.Dispose();
                    }
                }

                List<BrokerUnderTest> all = All(setups);
                int turn = 0;
                foreach (Scenario sc in scenarios)
                {
                    for (int r = 0; r < o.Repeat; r++)
                    {
                        for (int k = 0; k < setups.Count; k++)
                        {
                            Setup st = setups[(k + turn) % setups.Count];
                            BrokerUnderTest.WaitQuiet(all);
                            double cpu = st.Local.CpuSeconds();
                            double steal = BrokerUnderTest.MachineSteal();
                            RunResult res = Runner.Run(st.Local.EndPoint, sc, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(30), subscribeAt: st.Upstream.EndPoint);
                            res.StealSeconds = BrokerUnderTest.MachineSteal() - steal;
                            res.Repetition = r;
                            rows.Add(new Row { Setup = st.Name, Result = res, BridgeCpuSeconds = st.Local.CpuSeconds() - cpu });
                            Console.WriteLine("  " + st.Name + " " + sc.Name + ": " + res.MessagesPerSecond.ToString("0") + " msg/s, "
                                + res.Received + "/" + res.Expected + (res.Error != null ? " (" + res.Error + ")" : ""));
                        }

                        turn++;
                    }
                }
            }
            finally
            {
                foreach (Setup st in setups)
                {
                    st.Dispose();
                }
            }

            // The table groups a setup's rows together, cells in order, as before.
            var ordered = new List<Row>();
            foreach (string name in new[] { "ours-bridged", "mosquitto-bridged" })
            {
                ordered.AddRange(rows.FindAll(x => x.Setup == name));
            }

            return ordered;
        }

        /// <summary>A fresh upstream Mosquitto and the bridging broker of this setup, started.</summary>
        private static Setup Start(string name, string mosquitto, string ours)
        {
            var st = new Setup { Name = name, Dir = Path.Combine(Path.GetTempPath(), "bench-bridged-" + Environment.ProcessId + "-" + name) };
            Directory.CreateDirectory(st.Dir);
            int upPort = BrokerUnderTest.FreePort();
            int localPort = BrokerUnderTest.FreePort();
            string upConf = Write(st.Dir, "upstream.conf", "listener " + upPort + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "log_dest none\nset_tcp_nodelay true\nmax_queued_messages 1000000\n");
            string localConf = Write(st.Dir, "bridging.conf", Config(localPort, upPort));
            Console.WriteLine(name + ": bridging config\n  " + File.ReadAllText(localConf).Replace("\n", "\n  "));
            st.Upstream = new BrokerUnderTest("upstream", upPort, new ProcessStartInfo(mosquitto, new[] { "-c", upConf }), false);
            st.Local = name == "ours-bridged"
                ? new BrokerUnderTest(name, localPort, new ProcessStartInfo("dotnet", new[] { ours, "-c", localConf }), true)
                : new BrokerUnderTest(name, localPort, new ProcessStartInfo(mosquitto, new[] { "-c", localConf }), false);
            st.Upstream.Start(TimeSpan.FromSeconds(30));
            st.Local.Start(TimeSpan.FromSeconds(60));
            return st;
        }

        /// <summary>Both brokers of every setup, for <see cref="BrokerUnderTest.WaitQuiet"/>.</summary>
        private static List<BrokerUnderTest> All(List<Setup> setups)
        {
            var all = new List<BrokerUnderTest>();
            foreach (Setup st in setups)
            {
                all.Add(st.Local);
                all.Add(st.Upstream);
            }

            return all;
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
            sb.AppendLine("| Setup | Scenario (open loop, 64 B) | msgs/s at the upstream subscriber | Received / expected | Lost | Bridging broker CPU s | steal % |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (Row r in rows)
            {
                RunResult x = r.Result;
                sb.AppendLine("| " + r.Setup + " | " + x.Scenario.Name + " | " + x.MessagesPerSecond.ToString("N0") + " | " + x.Received.ToString("N0") + " / "
                    + x.Expected.ToString("N0") + " | " + x.Lost.ToString("N0") + (x.Error != null ? " (" + x.Error + ")" : "") + " | "
                    + r.BridgeCpuSeconds.ToString("0.0") + " | "
                    + (x.Seconds >= 1 ? (x.StealSeconds / x.Seconds / Environment.ProcessorCount * 100).ToString("0") : "-") + " |");
            }

            return sb.ToString();
        }
    }
}
