namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in of nanoFramework.Runtime.Native.Power (only the plain reboot).</summary>
    public class Power
    {
        public static void RebootDevice()
        {
            throw new System.NotSupportedException("compile-only stand-in");
        }
    }
}
