using System;
using System.Diagnostics;

namespace Bench.LoadGen
{
    /// <summary>
    /// dotnet run -c Release --project bench/LoadGen -- [--short] [--repeat N] [--brokers ours,mosquitto,MQTTnet]
    ///     [--only TEXT] [--csv FILE] [--ours PATH/Device.Host.dll]
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
                    case "--ours":
                        o.OursDll = Next();
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
            var h = new Harness(o);
            // Ctrl+C must not leave brokers behind (the .NET ones also stop when our stdin pipe to them closes).
            Console.CancelKeyPress += (s, e) => h.StopBrokers();
            try
            {
                h.StartBrokers();
                h.WarmUp();
                h.RunAll();
            }
            finally
            {
                h.StopBrokers();
            }

            Console.WriteLine();
            Console.WriteLine(Report.Table(h.Brokers, h.Results));
            Console.WriteLine(Report.Memory(h.Brokers, h.PeakRssKb));
            Console.WriteLine("cores: " + Environment.ProcessorCount + "; load average at end: " + Report.LoadAverage()
                + "; mode: " + (o.Short ? "short" : "full") + ", best of " + o.Repeat + "; took " + total.Elapsed.TotalSeconds.ToString("0") + " s");
            if (o.CsvPath != null)
            {
                Report.WriteCsv(o.CsvPath, h.Brokers, h.Results, h.PeakRssKb);
                Console.WriteLine("wrote " + o.CsvPath);
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
    }
}
