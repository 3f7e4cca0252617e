namespace System
{
    /// <summary>
    /// Stand-in of the Environment class that nanoFramework.Runtime.Native adds to namespace System (real:
    /// nanoFramework.Runtime.Native/System/Environment.cs). TickCount64 is the board's monotonic clock: milliseconds
    /// since the system started, unaffected by the SNTP sync that moves DateTime.UtcNow.
    /// </summary>
    public static class Environment
    {
        public static long TickCount64
        {
            get { throw new NotSupportedException("compile-only stand-in"); }
        }
    }
}
