using System;
using System.Device.Wifi;
using System.Net;
using System.Threading;
using nanoFramework.Networking;

namespace Device.Hardware
{
    /// <summary>
    /// The Wi-Fi link, and the only file that names the Wi-Fi package: this app uses the long-standing
    /// nanoFramework.System.Device.Wifi spelling (System.Device.Wifi, WifiNetworkHelper, WifiReconnectionKind);
    /// moving to the newer "WiFi" spelling means changing packages.config, the reference and this file only.
    /// </summary>
    internal sealed class WifiConnection
    {
        // DHCP on a busy home network can take tens of seconds; longer than this, something else is wrong.
        private const int ConnectTimeoutMs = 60000;

        private readonly string _ssid;
        private readonly string _password;

        public WifiConnection(Settings settings)
        {
            _ssid = settings.Ssid;
            _password = settings.Password;
        }

        /// <summary>
        /// Connects and waits for an address, at most a minute. With an SSID from the settings file the helper
        /// (re)joins that network and stores the credentials on the board; without one it waits for the
        /// firmware to join the network stored there (nanoff --networkdeployment, or an earlier settings file).
        /// Either way the radio keeps reconnecting by itself afterwards (WifiReconnectionKind.Automatic).
        /// </summary>
        public bool Connect()
        {
            CancellationTokenSource timeout = new CancellationTokenSource(ConnectTimeoutMs);
            try
            {
                bool ok;
                if (_ssid != null)
                {
                    Log.Line("wifi: connecting to \"" + _ssid + "\"");
                    ok = WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, false, 0, timeout.Token);
                }
                else
                {
                    Log.Line("wifi: connecting with the credentials stored on the board");
                    ok = WifiNetworkHelper.Reconnect(false, 0, timeout.Token);
                }

                if (!ok)
                {
                    // The helper reports failures through Status and HelperException instead of throwing.
                    Exception ex = WifiNetworkHelper.HelperException;
                    Log.Line("wifi: not connected (" + StatusName(WifiNetworkHelper.Status) + ")"
                        + (ex == null ? string.Empty : ": " + ex.Message));
                }

                return ok;
            }
            finally
            {
                timeout.Dispose();
            }
        }

        /// <summary>The board's IPv4 address as text, or null while it has none (Wi-Fi down, DHCP pending).</summary>
        public static string Address()
        {
            IPAddress address = IPAddress.GetDefaultLocalAddress();
            // "is null", not "== null": IPAddress's own operator == is false whenever its left side is null.
            return address is null || address.Equals(IPAddress.Any) ? null : address.ToString();
        }

        private static string StatusName(NetworkHelperStatus status)
        {
            switch (status)
            {
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    return "no address within " + (ConnectTimeoutMs / 1000) + " s: wrong credentials, or out of range";
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return "the firmware has no network interface configured";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    return "the network was found but refused the connection";
                case NetworkHelperStatus.ExceptionOccurred:
                    return "the helper failed";
                default:
                    return "status " + ((int)status).ToString();
            }
        }
    }
}
