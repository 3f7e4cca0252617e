namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in of nanoFramework.Runtime.Native.GC (the real Run is an InternalCall).</summary>
    public static class GC
    {
        /// <summary>Runs the garbage collector and returns the free managed heap in bytes.</summary>
        public static uint Run(bool compactHeap)
        {
            throw new System.NotSupportedException("compile-only stand-in");
        }
    }
}
