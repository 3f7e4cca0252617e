using System.Diagnostics;
using System;

namespace LoadGen
{
    /// <summary>
    /// dotnet run -c Release --project bench/LoadGen -- [--short] [--repeat N] [--brokers ours,ours-device,ours-q1m,mosquitto,MQTTnet,external:PORT,dll:NAME=PATH]
    ///     [--only TEXT] [--csv FILE (with --repeat also FILE.runs.csv: every run)] [--chart FILE.png] [--ours PATH/Broker.Host.dll] [--open [--widths N,..] [--fan-in-widths 10,100,1000] [--fan-out-widths 10,1000]] [--bridged] [--connections 1000,5000,10000 [--sustain SECONDS]] [--slow SECONDS]
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var o = new HarnessOptions();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(a + " needs a value");
                switch (a)
                {
                    case "--short":
                        o.Short = true;
                        break;
                    case "--repeat":
                        o.Repeat = int.Parse(Next());
                        break;
                    case "--brokers":
                        o.Brokers = new System.Collections.Generic.List<string>(Next().Split(','));
                        break;
                    case "--only":
                        o.Filter = Next();
                        break;
                    case "--csv":
                        o.CsvPath = Next();
                        break;
                    case "--chart":
                        o.ChartPath = Next();
                        break;
                    case "--ours":
                        o.OursDll = Next();
                        break;
                    case "--open":
                        o.Open = true;
                        break;
                    case "--slow":
                        o.SlowSeconds = int.Parse(Next());
                        break;
                    case "--connections":
                        o.Connections = Array.ConvertAll(Next().Split(','), int.Parse);
                        break;
                    case "--sustain":
                        o.SustainSeconds = int.Parse(Next());
                        break;
                    case "--bridged":
                        o.Bridged = true;
                        break;
                    case "--persistent-subscribers":
                        Runner.PersistentSubscribers = true;
                        break;
                    case "--widths":
                        o.FanInWidths = o.FanOutWidths = Array.ConvertAll(Next().Split(','), int.Parse);
                        break;
                    case "--fan-in-widths":
                        o.FanInWidths = Array.ConvertAll(Next().Split(','), int.Parse);
                        break;
                    case "--fan-out-widths":
                        o.FanOutWidths = Array.ConvertAll(Next().Split(','), int.Parse);
                        break;
                    default:
                        Console.Error.WriteLine("unknown argument " + a);
                        return 2;
                }
            }

            if (!o.Short && o.Repeat == 1 && Array.IndexOf(args, "--repeat") < 0)
            {
                o.Repeat = 2;
            }

            var total = Stopwatch.StartNew();
            Console.WriteLine("machine: " + Report.Machine());
            Console.WriteLine("load average at start: " + Report.LoadAverage());
            if (o.Bridged)
            {
                // Its own brokers (a bridging one and an upstream per setup), none of the harness's.
                var bridged = Bridged.Run(o);
                Console.WriteLine();
                Console.WriteLine(Bridged.Table(bridged));
                Console.WriteLine("cores: " + Environment.ProcessorCount + "; load average at end: " + Report.LoadAverage() + "; took "
                    + total.Elapsed.TotalSeconds.ToString("0") + " s");
                return bridged.TrueForAll(r => r.Result.Error == null) ? 0 : 1;
            }

            var h = new Harness(o);
            // Ctrl+C must not leave brokers behind (the .NET ones also stop when our stdin pipe to them closes).
            Console.CancelKeyPress += (s, e) => h.StopBrokers();
            try
            {
                h.StartBrokers();
                if (o.Connections != null)
                {
                    // Connection scale only (issue 10): no message scenarios in the same run.
                    var rows = ConnectionScale.Run(h.Brokers, o.Connections, o.SustainSeconds);
                    Console.WriteLine();
                    Console.WriteLine(ConnectionScale.Table(rows));
                    if (o.SustainSeconds > 0)
                    {
                        Console.WriteLine(ConnectionScale.SustainTable(rows));
                    }

                    return 0;
                }

                if (o.SlowSeconds > 0)
                {
                    // A slow (but reading) subscriber next to a fast one, per broker (issue 10).
                    var slowRows = new System.Collections.Generic.List<SlowSubscriber.Row>();
                    foreach (BrokerUnderTest b in h.Brokers)
                    {
                        slowRows.Add(SlowSubscriber.Run(b, o.SlowSeconds));
                    }

                    Console.WriteLine();
                    Console.WriteLine(SlowSubscriber.Table(slowRows));
                    return 0;
                }

                h.WarmUp();
                h.RunAll();
            }
            finally
            {
                h.StopBrokers();
            }

            Console.WriteLine();
            Console.WriteLine(Report.Table(h.Brokers, h.Results));
            if (o.Open)
            {
                // Issue 10's goals per cell: one table, every target side by side.
                Console.WriteLine(Report.Goals(h.Brokers, h.Results));
            }

            Console.WriteLine(Report.Memory(h.Brokers, h.PeakRssKb));
            Console.WriteLine(Report.Quiet(h.Results));
            Console.WriteLine("cores: " + Environment.ProcessorCount + "; load average at end: " + Report.LoadAverage()
                + "; mode: " + (o.Short ? "short" : "full") + ", best of " + o.Repeat + "; took " + total.Elapsed.TotalSeconds.ToString("0") + " s");
            if (o.CsvPath != null)
            {
                Report.WriteCsv(o.CsvPath, h.Brokers, h.Results, h.PeakRssKb);
                Console.WriteLine("wrote " + o.CsvPath);
                if (o.Repeat > 1)
                {
                    // Every repetition, not only the best: how far one run of a cell can fall on a noisy machine.
                    string runs = System.IO.Path.ChangeExtension(o.CsvPath, ".runs.csv");
                    Report.WriteCsv(runs, h.Brokers, h.AllRuns, h.PeakRssKb);
                    Console.WriteLine("wrote " + runs);
                }
            }

            if (o.ChartPath != null)
            {
                Chart(o, h);
            }

            foreach (RunResult[] row in h.Results)
            {
                foreach (RunResult r in row)
                {
                    if (!r.Ok)
                    {
                        return 1;
                    }
                }
            }

            return 0;
        }

        /// <summary>Draws the chart with bench/LoadGen/chart.py; Debian's python3 has matplotlib as a package.</summary>
        private static void Chart(HarnessOptions o, Harness h)
        {
            string csv = o.CsvPath ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bench-brokers-" + Environment.ProcessId + ".csv");
            if (o.CsvPath == null)
            {
                Report.WriteCsv(csv, h.Brokers, h.Results, h.PeakRssKb);
            }

            string python = System.IO.File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            string script = System.IO.Path.Combine(AppContext.BaseDirectory, "chart.py");
            string title = "Messages/s, " + Environment.ProcessorCount + " cores, " + (o.Short ? "short" : "full") + " run " + DateTime.UtcNow.ToString("yyyy-MM-dd");
            var psi = new ProcessStartInfo(python, new[] { script, csv, o.ChartPath, title }) { UseShellExecute = false };
            using Process p = Process.Start(psi);
            p.WaitForExit(60_000);
            Console.WriteLine(p.ExitCode == 0 ? "wrote " + o.ChartPath : "chart failed (python3 with matplotlib: apt-get install -y python3-matplotlib)");
        }
    }
}
