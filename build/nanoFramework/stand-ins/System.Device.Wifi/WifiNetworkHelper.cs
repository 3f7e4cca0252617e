using System;
using System.Device.Wifi;
using System.Threading;

namespace nanoFramework.Networking
{
    /// <summary>
    /// Stand-in of nanoFramework's WifiNetworkHelper: connect with given credentials (which the real helper also
    /// stores on the board), reconnect with the stored ones, and the status of the last attempt.
    /// </summary>
    public static class WifiNetworkHelper
    {
        public static NetworkHelperStatus Status { get { throw Stub(); } }

        public static Exception HelperException { get { throw Stub(); } }

        public static bool ConnectDhcp(
            string ssid,
            string password,
            WifiReconnectionKind reconnectionKind = WifiReconnectionKind.Automatic,
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default)
        {
            throw Stub();
        }

        public static bool Reconnect(
            bool requiresDateTime = false,
            int wifiAdapterId = 0,
            CancellationToken token = default)
        {
            throw Stub();
        }

        private static Exception Stub()
        {
            return new NotSupportedException("compile-only stand-in");
        }
    }
}
