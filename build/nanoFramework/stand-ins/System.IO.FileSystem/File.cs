namespace System.IO
{
    /// <summary>Stand-in of nanoFramework's static File class (only Exists).</summary>
    public static class File
    {
        public static bool Exists(string path)
        {
            throw new NotSupportedException("compile-only stand-in");
        }
    }
}
