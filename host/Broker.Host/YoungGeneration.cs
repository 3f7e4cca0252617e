using System;

namespace Broker.Host
{
    /// <summary>
    /// Keeps the GC's young generation small on the PC broker (issue 10). .NET sizes generation 0 from the CPU's
    /// cache (24 MB on the 48 MB-L3 test machine) and every page of it that the allocator walks through stays
    /// resident; the broker allocates nothing per routed message, but each connect leaves a little garbage (log
    /// lines, the socket's accept), so 10,000 connects walked the whole 24 MB: 2.5 KB of resident memory per idle
    /// connection that no object held. The runtime's own knob for it (DOTNET_GCgen0size) is an environment
    /// variable only (runtimeconfig.json's GCgen0size and System.GC.Gen0Size are ignored, measured), so the broker
    /// collects generation 0 itself, from the engine's Tick, each time this much has been allocated since the last
    /// collection: the same few MB of young pages are then reused instead of new ones touched. With no garbage (a
    /// steady routing load) it never runs; each run is a generation-0 collection of at most this many bytes.
    /// </summary>
    public sealed class YoungGeneration
    {
        /// <summary>What may be allocated between two collections it asks for (measured in docs/BENCHMARKS.md).</summary>
        public const long DefaultBytes = 4L * 1024 * 1024;

        private readonly long _every;
        private long _next;

        public YoungGeneration(long every)
        {
            _every = every;
            _next = GC.GetTotalAllocatedBytes(false) + every;
        }

        /// <summary>Generation-0 collections asked for so far.</summary>
        public int Collections { get; private set; }

        /// <summary>From the engine's thread, at each Tick (every 100 ms): collects when the budget has been spent.</summary>
        public void Check()
        {
            long allocated = GC.GetTotalAllocatedBytes(false);
            if (allocated < _next)
            {
                return;
            }

            GC.Collect(0, GCCollectionMode.Forced, true, false);
            Collections++;
            _next = GC.GetTotalAllocatedBytes(false) + _every;
        }
    }
}
