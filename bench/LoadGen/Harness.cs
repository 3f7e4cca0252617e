using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System;

namespace LoadGen
{
    /// <summary>
    /// Starts every broker at once, then runs each scenario against each broker in turn (interleaved rather
    /// than broker after broker), so a burst of noise on this shared machine hits all brokers alike.
    /// </summary>
    public sealed class Harness
    {
        private readonly HarnessOptions o;
        public readonly List<BrokerUnderTest> Brokers = new List<BrokerUnderTest>();
        public readonly List<RunResult[]> Results = new List<RunResult[]>();

        /// <summary>Every run of every cell, one row per repetition (Results keeps each broker's best): the spread behind the tables.</summary>
        public readonly List<RunResult[]> AllRuns = new List<RunResult[]>();
        public readonly Dictionary<string, long> PeakRssKb = new Dictionary<string, long>();

        public Harness(HarnessOptions o)
        {
            this.o = o;
        }

        /// <summary>The matrix of issue #5; counts are deliveries per run, sized so the full run stays under 15 minutes.</summary>
        public List<Scenario> Scenarios()
        {
            return o.Open ? OpenScenarios() : ClosedScenarios();
        }

        /// <summary>
        /// Issue 10: fan-in N:1 and fan-out 1:N (fan-out 1:100 only when asked for by --fan-out-widths), QoS 0/1/2, 16 B and
        /// 1 KB, open loop. Counts are deliveries, smaller for 1 KB and for the wide fan-outs.
        /// </summary>
        private List<Scenario> OpenScenarios()
        {
            var list = new List<Scenario>();
            foreach (Topology t in new[] { Topology.FanIn, Topology.FanOut })
            {
                foreach (int width in t == Topology.FanIn ? o.FanInWidths : o.FanOutWidths)
                {
                    foreach (byte qos in new byte[] { 0, 1, 2 })
                    {
                        foreach (int size in new[] { 16, 1024 })
                        {
                            int n = qos == 0 ? 200_000 : qos == 1 ? 100_000 : 50_000;
                            if (size > 16)
                            {
                                n /= 2;
                            }

                            if (o.Short)
                            {
                                n /= 4;
                            }

                            // Every publisher and every subscriber gets at least a few hundred messages.
                            n = Math.Max(n, width * 200);
                            Scenario sc = Scenario.Open(t, width, qos, size, n);
                            if (o.Filter == null || sc.Name.Contains(o.Filter, StringComparison.OrdinalIgnoreCase))
                            {
                                list.Add(sc);
                            }
                        }
                    }
                }
            }

            return list;
        }

        private List<Scenario> ClosedScenarios()
        {
            var list = new List<Scenario>();
            foreach (Topology t in new[] { Topology.FanIn, Topology.FanOut, Topology.Pairs })
            {
                foreach (byte qos in new byte[] { 0, 1, 2 })
                {
                    foreach (int size in new[] { 16, 1024 })
                    {
                        int n = qos == 0 ? 400_000 : qos == 1 ? 200_000 : 100_000;
                        if (size > 16)
                        {
                            n /= 2;
                        }

                        if (o.Short)
                        {
                            n /= 4;
                        }

                        var sc = new Scenario { Topology = t, Qos = qos, PayloadSize = size, Messages = n };
                        if (o.Filter == null || sc.Name.Contains(o.Filter, StringComparison.OrdinalIgnoreCase))
                        {
                            list.Add(sc);
                        }
                    }
                }
            }

            return list;
        }

        public void StartBrokers()
        {
            string dir = AppContext.BaseDirectory;
            foreach (string name in o.Brokers)
            {
                BrokerUnderTest b;
                switch (name.ToLowerInvariant())
                {
                    case "ours":
                        b = OurBroker.Create(o.OursDll ?? Path.Combine(dir, "Broker.Host.dll"));
                        break;
                    case "ours-device":
                        // The board's exact limits (10 clients, its pool and 1 KB buffers) on the PC: --profile device.
                        b = OurBroker.Create(o.OursDll ?? Path.Combine(dir, "Broker.Host.dll"), "ours-device", "--profile", "device");
                        b.MaxClients = 10;
                        break;
                    case "ours-q1m":
                        b = OurBroker.DeepQueue(o.OursDll ?? Path.Combine(dir, "Broker.Host.dll"));
                        break;
                    case "ours-batch":
                    case "ours-always":
                        // Issue 13: persistence on, the journal in a folder of its own, fsync batch (50 ms) or always.
                        b = OurBroker.Persistent(o.OursDll ?? Path.Combine(dir, "Broker.Host.dll"), name.Substring(5));
                        break;
                    case "mosquitto-persist":
                        string pexe = FindMosquitto();
                        b = pexe == null ? null : BrokerUnderTest.Mosquitto(pexe, Path.GetTempPath(), true);
                        break;
                    case "mosquitto":
                        string exe = FindMosquitto();
                        if (exe == null)
                        {
                            Console.WriteLine("skipping mosquitto: not installed (Debian: apt-get install -y mosquitto)");
                            b = null;
                            break;
                        }

                        b = BrokerUnderTest.Mosquitto(exe, Path.GetTempPath());
                        break;
                    case var x when x.StartsWith("dll:", StringComparison.Ordinal):
                        // dll:NAME=PATH: another build of a .NET broker taking -p PORT, e.g. to try a transport change.
                        string[] nv = name.Substring(4).Split('=', 2);
                        b = OurBroker.Create(nv[1], nv[0]);
                        break;
                    case var x when x.StartsWith("external:", StringComparison.Ordinal):
                        b = BrokerUnderTest.External(int.Parse(x.Substring("external:".Length)));
                        break;
                    case "mqttnet":
                        b = BrokerUnderTest.MqttNet(Path.Combine(dir, "MqttNetServer.dll"));
                        break;
                    default:
                        throw new ArgumentException("unknown broker " + name + " (ours, mosquitto, MQTTnet)");
                }

                if (b == null)
                {
                    continue;
                }

                try
                {
                    b.Start(TimeSpan.FromSeconds(30));
                }
                catch (Exception e)
                {
                    // One broker that cannot start should not cost the comparison of the others.
                    Console.WriteLine("skipping " + name + ": " + e.Message);
                    b.Dispose();
                    continue;
                }

                Brokers.Add(b);
                Console.WriteLine("started " + b.Name + " (pid " + b.Pid + ") on 127.0.0.1:" + b.Port);
            }
        }

        /// <summary>Unmeasured rounds first: the .NET brokers (and we) would otherwise pay JIT and tiering in the first scenario.</summary>
        public void WarmUp()
        {
            try
            {
                WarmUpRounds();
            }
            finally
            {
                // What warm-up allocated (start-up, JIT) is not what the scenarios allocate.
                if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") == "1")
                {
                    foreach (BrokerUnderTest b in Brokers)
                    {
                        b.PrintAllocatedTypes();
                    }
                }
            }
        }

        private void WarmUpRounds()
        {
            foreach (BrokerUnderTest b in Brokers)
            {
                foreach (byte qos in new byte[] { 0, 1, 2 })
                {
                    foreach (Topology t in new[] { Topology.FanIn, Topology.FanOut })
                    {
                        var sc = new Scenario { Topology = t, Qos = qos, PayloadSize = 16, Messages = o.Short ? 5_000 : 20_000 };
                        if (b.MaxClients > 0 && sc.Width >= b.MaxClients)
                        {
                            // The board's 10 clients: one publisher (or subscriber) fewer, as in its measured rows.
                            sc.Width = b.MaxClients - 1;
                        }

                        RunResult r = Runner.Run(b.EndPoint, sc, o.Deadline, o.Stall);
                        if (r.Error != null)
                        {
                            Console.WriteLine("warm-up of " + b.Name + " " + sc.Name + ": " + r.Error);
                        }
                    }
                }
            }
        }

        public void RunAll()
        {
            List<Scenario> scenarios = Scenarios();
            int turn = 0;
            foreach (Scenario sc in scenarios)
            {
                var row = new RunResult[Brokers.Count];
                for (int rep = 0; rep < o.Repeat; rep++)
                {
                    var each = new RunResult[Brokers.Count];
                    AllRuns.Add(each);
                    // Rotate who goes first, so no broker always runs right after another's clean-up.
                    for (int k = 0; k < Brokers.Count; k++)
                    {
                        int i = (k + turn) % Brokers.Count;
                        RunResult r = Measure(Brokers[i], sc);
                        r.Repetition = rep;
                        each[i] = r;
                        if (row[i] == null || Better(r, row[i]))
                        {
                            row[i] = r;
                        }
                    }

                    turn++;
                }

                Results.Add(row);
                Console.WriteLine(Report.Line(sc, Brokers, row));
                if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") == "1")
                {
                    foreach (BrokerUnderTest b in Brokers)
                    {
                        b.PrintAllocatedTypes();
                    }
                }
            }

            foreach (BrokerUnderTest b in Brokers)
            {
                PeakRssKb[b.Name] = b.PeakRssKb();
            }
        }

        /// <summary>Of repeated runs the fastest complete one counts: noise on a shared machine only ever slows a run down.</summary>
        private static bool Better(RunResult r, RunResult best)
        {
            if (r.Ok != best.Ok)
            {
                return r.Ok;
            }

            if ((r.Lost == 0) != (best.Lost == 0))
            {
                return r.Lost == 0;
            }

            return r.MessagesPerSecond > best.MessagesPerSecond;
        }


        private RunResult Measure(BrokerUnderTest b, Scenario sc)
        {
            string died = b.Died();
            if (died != null)
            {
                return new RunResult { Scenario = sc, Expected = sc.Deliveries, Error = died };
            }

            // The board takes 10 clients: its fan-in 10:1 and fan-out 1:10 run one narrower (9 + 1 clients), named so in
            // the table; wider rows run as they are and show the board's refusal (CONNACK 3).
            Scenario asked = sc;
            if (b.MaxClients > 0 && sc.Publishers + sc.Subscribers > b.MaxClients && sc.Width <= b.MaxClients)
            {
                sc = Scenario.Open(sc.Topology, b.MaxClients - 1, sc.Qos, sc.PayloadSize, sc.Messages);
            }

            BrokerUnderTest.WaitQuiet(Brokers);
            double cpu0 = 0, self0 = 0, cpu1 = 0, self1 = 0, all0 = 0, all1 = 0, steal0 = 0, steal1 = 0;
            long? alloc0 = null, alloc1 = null;
            int self = Environment.ProcessId;
            RunResult r;
            try
            {
                r = Runner.Run(b.EndPoint, sc, o.Deadline, o.Stall,
                    () =>
                    {
                        alloc0 = b.AllocatedBytes();
                        cpu0 = b.CpuSeconds();
                        self0 = BrokerUnderTest.ProcCpu(self);
                        BrokerUnderTest.MachineTimes(out all0, out steal0);
                    },
                    () =>
                    {
                        cpu1 = b.CpuSeconds();
                        self1 = BrokerUnderTest.ProcCpu(self);
                        BrokerUnderTest.MachineTimes(out all1, out steal1);
                        alloc1 = b.AllocatedBytes();
                    });
            }
            catch (Exception e)
            {
                // Reading a broker's counters fails when it died mid-run: report the death, not the symptom.
                return new RunResult { Scenario = sc, Expected = sc.Deliveries, Error = b.Died() ?? e.Message };
            }

            died = b.Died();
            if (died != null)
            {
                r.Error = died;
                return r;
            }

            b.PeakRssKb();
            r.RanAs = sc == asked ? null : sc.TopologyName;
            r.BrokerCpuSeconds = cpu1 - cpu0;
            r.LoadGenCpuSeconds = self1 - self0;
            r.StealSeconds = steal1 - steal0;
            r.OtherCpuSeconds = Math.Max(0, (all1 - all0) - r.StealSeconds - r.BrokerCpuSeconds - r.LoadGenCpuSeconds);
            if (alloc0.HasValue && alloc1.HasValue && r.Received > 0)
            {
                r.AllocatedPerMessage = (double)(alloc1.Value - alloc0.Value) / r.Received;
            }

            return r;
        }

        public void StopBrokers()
        {
            foreach (BrokerUnderTest b in Brokers.ToArray())
            {
                if (!PeakRssKb.ContainsKey(b.Name))
                {
                    PeakRssKb[b.Name] = b.PeakRssKb();
                }

                b.Dispose();
            }
        }

        private static string FindMosquitto()
        {
            foreach (string p in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" })
            {
                if (File.Exists(p))
                {
                    return p;
                }
            }

            return null;
        }

        public static string MosquittoVersion()
        {
            try
            {
                string exe = FindMosquitto();
                if (exe == null)
                {
                    return "mosquitto not installed";
                }

                var psi = new ProcessStartInfo(exe, "-h") { RedirectStandardOutput = true, UseShellExecute = false };
                using Process p = Process.Start(psi);
                string first = p.StandardOutput.ReadLine();
                p.WaitForExit(2000);
                return first;
            }
            catch (Exception e)
            {
                return "mosquitto: " + e.Message;
            }
        }
    }
}
