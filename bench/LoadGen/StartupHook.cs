using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;

/// <summary>
/// A .NET startup hook (DOTNET_STARTUP_HOOKS=.../LoadGen.dll) that the harness loads into the .NET brokers it
/// starts, so their allocation counters can be read without changing the brokers: each "stats" line on stdin is
/// answered with one "bench-stats ..." line on stdout, and stdin closing (the harness ended, even by a crash)
/// stops the broker, so no broker outlives its benchmark. Only this type is loaded into the broker process.
/// The runtime requires the name StartupHook outside any namespace.
/// With BENCH_ALLOC_TYPES=1 it also samples what is allocated (the runtime's AllocationTick event, about one per
/// 100 KB) and answers "types" with the sampled bytes per type: to find an allocation, not to count it.
/// </summary>
internal static class StartupHook
{
    public const string Prefix = "bench-stats ";
    public const string TypesPrefix = "bench-types ";
    public const string HeapPrefix = "bench-heap ";

    private static AllocationSampler sampler;

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") == "1")
        {
            sampler = new AllocationSampler();
        }

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
                // Minus this thread's own: reading the request and formatting the answer is not the broker's work.
                long allocated = GC.GetTotalAllocatedBytes(true) - GC.GetAllocatedBytesForCurrentThread();
                int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
                Console.Out.WriteLine(Prefix + allocated + " " + g0 + " " + g1 + " " + g2);
                Console.Out.Flush();
            }
            else if (line == "heap")
            {
                // Live managed bytes after a full compacting collection (what the broker's objects hold), then what the
                // GC keeps committed for them: the two halves of the managed part of the broker's resident memory.
                GC.Collect(2, GCCollectionMode.Forced, true, true);
                GC.WaitForPendingFinalizers();
                GC.Collect(2, GCCollectionMode.Forced, true, true);
                long live = GC.GetTotalMemory(false);
                GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
                Console.Out.WriteLine(HeapPrefix + live + " " + info.TotalCommittedBytes + " " + info.HeapSizeBytes);
                Console.Out.Flush();
            }
            else if (line == "types")
            {
                Console.Out.WriteLine(TypesPrefix + (sampler == null ? "off" : sampler.TakeSummary()));
                Console.Out.Flush();
            }
        }

        Environment.Exit(0);
    }

    private sealed class AllocationSampler : EventListener
    {
        private readonly Dictionary<string, long> bytes = new Dictionary<string, long>();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName == null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            {
                return;
            }

            int t = e.PayloadNames.IndexOf("TypeName");
            int a = e.PayloadNames.IndexOf("AllocationAmount64");
            string type = t >= 0 ? e.Payload[t] as string ?? "?" : "?";
            long amount = a >= 0 ? Convert.ToInt64(e.Payload[a]) : 0;
            lock (bytes)
            {
                bytes.TryGetValue(type, out long sum);
                bytes[type] = sum + amount;
            }
        }

        public string TakeSummary()
        {
            lock (bytes)
            {
                string s = string.Join("; ", bytes.OrderByDescending(kv => kv.Value).Take(8).Select(kv => kv.Key + "=" + kv.Value));
                bytes.Clear();
                return s;
            }
        }
    }
}
