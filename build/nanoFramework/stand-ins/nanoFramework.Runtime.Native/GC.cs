namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in of nanoFramework.Runtime.Native.GC (both members are InternalCalls on the device).</summary>
    public static class GC
    {
        /// <summary>Runs the garbage collector and returns the free managed heap in bytes.</summary>
        public static uint Run(bool compactHeap)
        {
            throw new System.NotSupportedException("compile-only stand-in");
        }

        public static void EnableGCMessages(bool enable)
        {
            throw new System.NotSupportedException("compile-only stand-in");
        }
    }
}
