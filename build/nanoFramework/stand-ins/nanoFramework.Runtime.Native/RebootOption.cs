namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in of nanoFramework.Runtime.Native.RebootOption (real values; 4 is unused on purpose).</summary>
    public enum RebootOption
    {
        NormalReboot = 0,
        EnterNanoBooter = 1,
        ClrOnly = 2,
        EnterProprietaryBooter = 8,
    }
}
