using System.Globalization;
using System.Threading.Tasks;
using System;

namespace Fuzz.Process
{
    /// <summary>
    /// dotnet run --project fuzz/Fuzz.Process -c Release -- run [SECONDS] [SEED]   fuzz every setup that long (default 60 s each, side by side)
    /// dotnet run --project fuzz/Fuzz.Process -- capture DIR                          record the seed sessions again
    /// Exit code 1 when anything was found.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length >= 2 && args[0] == "capture")
            {
                return SessionCapture.Run(args[1]);
            }
            if (args.Length >= 1 && args[0] == "run")
            {
                int seconds = args.Length >= 2 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
                int seed = args.Length >= 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;
                Console.WriteLine("seed " + seed + ", " + seconds + " s per setup, all setups side by side");
                FuzzReport[] reports = RunAll(TimeSpan.FromSeconds(seconds), seed, 4);
                int findings = 0;
                foreach (FuzzReport r in reports)
                {
                    Console.WriteLine(r);
                    findings += r.Findings;
                }
                Console.WriteLine(findings == 0 ? "no findings" : findings + " findings");
                return findings == 0 ? 0 : 1;
            }
            Console.Error.WriteLine("usage: Fuzz.Process run [SECONDS] [SEED] | capture DIR");
            return 2;
        }

        /// <summary>Every setup of <see cref="FuzzSetup.All"/>, each against its own broker process, at the same time.</summary>
        public static FuzzReport[] RunAll(TimeSpan duration, int seed, int workersPerSetup)
        {
            SeedSession[] seeds = SeedSession.LoadShipped();
            FuzzReport[] reports = new FuzzReport[FuzzSetup.All.Length];
            Parallel.For(0, reports.Length, new ParallelOptions { MaxDegreeOfParallelism = reports.Length }, i =>
            {
                reports[i] = new ProcessFuzzer(FuzzSetup.All[i], seeds, seed + i, workersPerSetup).Run(duration);
            });
            return reports;
        }
    }
}
