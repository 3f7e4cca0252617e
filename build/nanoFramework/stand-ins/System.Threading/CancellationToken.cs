namespace System.Threading
{
    /// <summary>
    /// Stand-in of nanoFramework's CancellationToken: a struct, as on the device, so a default(CancellationToken)
    /// parameter (WifiNetworkHelper.ConnectDhcp's last one) compiles the same way.
    /// </summary>
    public struct CancellationToken
    {
        public static CancellationToken None { get { return default(CancellationToken); } }

        public bool IsCancellationRequested { get { throw new NotSupportedException("compile-only stand-in"); } }
    }
}
