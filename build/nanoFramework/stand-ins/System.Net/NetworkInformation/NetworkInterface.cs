namespace System.Net.NetworkInformation
{
    /// <summary>Stand-in of nanoFramework's NetworkInterface (only the static link check hardware/ uses).</summary>
    public class NetworkInterface
    {
        protected NetworkInterface(int interfaceIndex)
        {
        }

        // On the device an InternalCall: true while any interface other than loopback is up.
        public static bool GetIsNetworkAvailable()
        {
            throw new NotSupportedException("compile-only stand-in");
        }
    }
}
