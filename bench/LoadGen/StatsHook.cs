using System;
using System.Threading;

/// <summary>
/// A .NET startup hook (DOTNET_STARTUP_HOOKS=.../LoadGen.dll) that the harness loads into the .NET brokers it
/// starts, so their allocation counters can be read without changing the brokers: each "stats" line on stdin is
/// answered with one "bench-stats ..." line on stdout, and stdin closing (the harness ended, even by a crash)
/// stops the broker, so no broker outlives its benchmark. Only this type is loaded into the broker process.
/// The runtime requires the name StartupHook outside any namespace.
/// </summary>
internal static class StartupHook
{
    public const string Prefix = "bench-stats ";

    public static void Initialize()
    {
        var t = new Thread(Serve) { IsBackground = true, Name = "bench-stats" };
        t.Start();
    }

    private static void Serve()
    {
        string line;
        while ((line = Console.In.ReadLine()) != null)
        {
            if (line == "stats")
            {
                // Read first, format after: the formatting's own allocation falls outside the measured window.
                long allocated = GC.GetTotalAllocatedBytes(true);
                int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
                Console.Out.WriteLine(Prefix + allocated + " " + g0 + " " + g1 + " " + g2);
                Console.Out.Flush();
            }
        }

        Environment.Exit(0);
    }
}
