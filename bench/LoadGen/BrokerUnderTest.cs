using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System;

namespace LoadGen
{
    /// <summary>
    /// A broker under test, run as a child process on a free loopback port, so its CPU time and peak resident
    /// memory are its own and not the load generator's.
    /// </summary>
    public class BrokerUnderTest : IDisposable
    {
        public readonly string Name;

        /// <summary>Clients the broker takes at most (ours-device: the board's 10), 0 when it has no small limit.</summary>
        public int MaxClients;
        public readonly int Port;
        private readonly ProcessStartInfo start;
        protected Process Proc;
        private string lastOutput = "";
        private readonly bool dotnet;
        private readonly SemaphoreSlim statsReady = new SemaphoreSlim(0);
        private volatile string stats;
        private readonly SemaphoreSlim heapReady = new SemaphoreSlim(0);
        private volatile string heap;
        private long peakKb = -1;

        /// <summary>dotnet: a .NET broker, run with our StartupHook so its GC counters can be read.</summary>
        public BrokerUnderTest(string name, int port, ProcessStartInfo start, bool dotnet)
        {
            Name = name;
            Port = port;
            this.start = start;
            this.dotnet = dotnet;
            if (dotnet && start != null)
            {
                start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(StartupHook).Assembly.Location;
                if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") == "1")
                {
                    start.Environment["BENCH_ALLOC_TYPES"] = "1";
                }
            }
        }

        public IPEndPoint EndPoint => new IPEndPoint(IPAddress.Loopback, Port);

        public int Pid => Proc?.Id ?? 0;

        /// <summary>A broker someone else started (--external PORT): driven and timed, but no process numbers.</summary>
        public static BrokerUnderTest External(int port) => new BrokerUnderTest("external", port, null, false);

        public static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public void Start(TimeSpan timeout)
        {
            if (start == null)
            {
                WaitListening(timeout);
                return;
            }

            start.UseShellExecute = false;
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            Proc = Process.Start(start);
            Proc.OutputDataReceived += (s, e) => OnOutput(e.Data);
            Proc.ErrorDataReceived += (s, e) => OnOutput(e.Data);
            Proc.BeginOutputReadLine();
            Proc.BeginErrorReadLine();
            WaitListening(timeout);
        }

        private void WaitListening(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < timeout)
            {
                if (Proc != null && Proc.HasExited)
                {
                    throw new InvalidOperationException(Name + " exited with " + Proc.ExitCode + ": " + lastOutput);
                }

                try
                {
                    using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    probe.Connect(EndPoint);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            throw new TimeoutException(Name + " did not listen on port " + Port + " within " + timeout.TotalSeconds + " s");
        }

        private void OnOutput(string line)
        {
            if (line == null)
            {
                return;
            }

            if (line.StartsWith(StartupHook.TypesPrefix, StringComparison.Ordinal))
            {
                Console.WriteLine("  " + Name + " allocated (sampled): " + line.Substring(StartupHook.TypesPrefix.Length));
                return;
            }

            if (line.StartsWith(StartupHook.HeapPrefix, StringComparison.Ordinal))
            {
                heap = line.Substring(StartupHook.HeapPrefix.Length);
                heapReady.Release();
                return;
            }

            if (line.StartsWith(StartupHook.Prefix, StringComparison.Ordinal))
            {
                stats = line.Substring(StartupHook.Prefix.Length);
                statsReady.Release();
                return;
            }

            lastOutput = line;
        }

        /// <summary>Peak resident set so far (VmHWM), in KiB; kept after the process is gone.</summary>
        public long PeakRssKb()
        {
            try
            {
                if (Proc != null && !Proc.HasExited)
                {
                    peakKb = Math.Max(peakKb, ProcStatus(Proc.Id, "VmHWM:"));
                }
            }
            catch (IOException)
            {
            }

            return peakKb;
        }

        /// <summary>Null while the broker runs, otherwise how it ended (and the last thing it printed).</summary>
        public string Died()
        {
            if (Proc == null || !Proc.HasExited)
            {
                return null;
            }

            return Name + " exited with " + Proc.ExitCode + (lastOutput.Length > 0 ? " (" + lastOutput + ")" : "");
        }

        public double CpuSeconds() => Proc == null ? 0 : ProcCpu(Proc.Id);

        /// <summary>Asks a .NET broker run with BENCH_ALLOC_TYPES=1 to print what it allocated since the last ask.</summary>
        public void PrintAllocatedTypes()
        {
            if (dotnet && Proc != null)
            {
                Proc.StandardInput.WriteLine("types");
                Proc.StandardInput.Flush();
                Thread.Sleep(200);
            }
        }

        /// <summary>Bytes the broker has allocated on the GC heap since it started, when it can say (.NET brokers).</summary>
        public long? AllocatedBytes()
        {
            if (!dotnet)
            {
                return null;
            }

            Proc.StandardInput.WriteLine("stats");
            Proc.StandardInput.Flush();
            if (!statsReady.Wait(5000))
            {
                throw new TimeoutException(Name + " did not answer the stats request");
            }

            return long.Parse(stats.Split(' ')[0]);
        }

        /// <summary>
        /// .NET brokers: live managed bytes after a full collection and the GC's committed bytes (the collection
        /// itself changes what it measures a little: it runs in the broker, on demand, outside any timed phase).
        /// </summary>
        public long[] ManagedHeap()
        {
            if (!dotnet || Proc == null)
            {
                return null;
            }

            Proc.StandardInput.WriteLine("heap");
            Proc.StandardInput.Flush();
            if (!heapReady.Wait(30000))
            {
                throw new TimeoutException(Name + " did not answer the heap request");
            }

            string[] f = heap.Split(' ');
            return new[] { long.Parse(f[0]), long.Parse(f[1]) };
        }

        /// <summary>With BENCH_GCDUMP=DIR: a dotnet-gcdump of a .NET broker into DIR (by owner, for docs/BENCHMARKS.md).</summary>
        public void GcDump(string label)
        {
            string dir = Environment.GetEnvironmentVariable("BENCH_GCDUMP");
            if (!dotnet || Proc == null || string.IsNullOrEmpty(dir))
            {
                return;
            }

            string tool = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "", ".dotnet/tools/dotnet-gcdump");
            var psi = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump",
                new[] { "collect", "-p", Proc.Id.ToString(), "-o", Path.Combine(dir, Name + "-" + label + ".gcdump") });
            psi.UseShellExecute = false;
            using var p = Process.Start(psi);
            p.WaitForExit(120000);
        }

        public void Dispose()
        {
            if (Proc == null)
            {
                return;
            }

            try
            {
                // SIGTERM first, so each broker shuts down its own way; the kill is for one that does not.
                kill(Proc.Id, 15);
                if (!Proc.WaitForExit(3000))
                {
                    Proc.Kill();
                    Proc.WaitForExit(2000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            Proc.Dispose();
            Proc = null;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        public static long ProcStatus(int pid, string key)
        {
            foreach (string line in File.ReadLines("/proc/" + pid + "/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    string v = line.Substring(key.Length).Trim();
                    return long.Parse(v.Split(' ')[0]);
                }
            }

            return -1;
        }

        /// <summary>User + system CPU seconds of a process, from /proc/PID/stat (clock ticks of 1/100 s on Linux).</summary>
        public static double ProcCpu(int pid)
        {
            string stat = File.ReadAllText("/proc/" + pid + "/stat");
            // The command name in parentheses may hold spaces: count fields after its closing parenthesis.
            string[] f = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0;
        }

        /// <summary>
        /// The whole machine's CPU seconds, all cores, from one read of /proc/stat: busy (everything but idle and
        /// iowait, steal included) and steal (the 8th field: what the hypervisor took from the cores).
        /// </summary>
        public static void MachineTimes(out double busy, out double steal)
        {
            string[] f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long sum = 0;
            for (int i = 1; i < f.Length && i <= 8; i++)
            {
                if (i != 4 && i != 5)
                {
                    sum += long.Parse(f[i]);
                }
            }

            busy = sum / 100.0;
            steal = f.Length > 8 ? long.Parse(f[8]) / 100.0 : 0;
        }

        /// <summary>The steal half of <see cref="MachineTimes"/>.</summary>
        public static double MachineSteal()
        {
            MachineTimes(out _, out double steal);
            return steal;
        }

        /// <summary>
        /// Waits (up to 10 s) until none of these brokers is still working off a previous run: under 20 ms of CPU in
        /// 200 ms (10 %, /proc counts 10 ms ticks) each. Mosquitto at max_queued_messages 1000000 can still be freeing a
        /// backlog of hundreds of MB when the next run starts, and on 2 cores that showed as a slow row of the next
        /// broker (issue 10's matrix); a stalled bridged QoS 2 row leaves one too.
        /// </summary>
        public static void WaitQuiet(IReadOnlyList<BrokerUnderTest> brokers)
        {
            Stopwatch waited = Stopwatch.StartNew();
            while (waited.ElapsedMilliseconds < 10000)
            {
                double[] before = new double[brokers.Count];
                for (int i = 0; i < brokers.Count; i++)
                {
                    before[i] = brokers[i].CpuSeconds();
                }

                System.Threading.Thread.Sleep(200);
                bool quiet = true;
                for (int i = 0; i < brokers.Count; i++)
                {
                    quiet &= brokers[i].CpuSeconds() - before[i] < 0.02;
                }

                if (quiet)
                {
                    return;
                }
            }
        }

        /// <summary>Mosquitto with a generated config: loopback only, no persistence, no logging, queue limits raised.</summary>
        public static BrokerUnderTest Mosquitto(string exe, string workDir)
        {
            return Mosquitto(exe, workDir, false);
        }

        /// <summary>As above; with persistence: `persistence true` in a fresh folder (issue 13's comparison), as root kept root to write it.</summary>
        public static BrokerUnderTest Mosquitto(string exe, string workDir, bool persistence)
        {
            int port = FreePort();
            string store = Path.Combine(workDir, "mosquitto-bench-store-" + port);
            Directory.CreateDirectory(store);
            string conf = Path.Combine(workDir, "mosquitto-bench" + (persistence ? "-persist" : "") + ".conf");
            File.WriteAllText(conf, string.Join("\n", new[]
            {
                "# Generated by bench/LoadGen for one benchmark run.",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                persistence ? "persistence true\npersistence_location " + store + "/\nuser root" : "persistence false",
                "log_dest none",
                // Mosquitto leaves Nagle on by default; the .NET brokers disable it: compare like with like.
                "set_tcp_nodelay true",
                // The default of 1000 queued messages per client drops messages under the fan-in window.
                "max_queued_messages 1000000",
                "",
            }));
            return new BrokerUnderTest(persistence ? "mosquitto-persist" : "mosquitto", port, new ProcessStartInfo(exe, new[] { "-c", conf }), false);
        }

        public static BrokerUnderTest MqttNet(string dll)
        {
            int port = FreePort();
            return new BrokerUnderTest("MQTTnet", port, new ProcessStartInfo("dotnet", new[] { dll, "-p", port.ToString() }), true);
        }
    }
}
