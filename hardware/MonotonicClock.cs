using System;

namespace Device.Hardware
{
    /// <summary>
    /// The board's engine clock: milliseconds since boot from Environment.TickCount64 (nanoFramework.Runtime.Native).
    /// It never jumps, unlike DateTime.UtcNow, which starts at the firmware's default date and leaps at the first SNTP sync.
    /// </summary>
    internal static class MonotonicClock
    {
        public static long Now()
        {
            return Environment.TickCount64;
        }
    }
}
