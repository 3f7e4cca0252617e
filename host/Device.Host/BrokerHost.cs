using System;
using System.Threading;

namespace Device.Host
{
    /// <summary>Runs the engine behind the poll-loop transport until asked to stop.</summary>
    public static class BrokerHost
    {
        public static int Run(Settings settings, HostFiles files, Log log, CancellationToken stop, Action<int> started)
        {
            // Wired to the engine and Device.Net once the engine's transport seam lands.
            log.Error("the broker engine is not wired into the host program yet");
            return 1;
        }
    }
}
