using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Keep-alive ([MQTT-3.1.2-24]): a client that sends nothing for one and a half times its keep-alive is
    /// disconnected, and its will published. PINGREQ (Handlers/HandlePing.cs) is how an idle client stays.
    /// Expiry is checked by Broker.Tick; every complete packet received counts as activity.
    /// </summary>
    public static class KeepAlive
    {
        /// <summary>Whether silence since lastPacket exceeds 1.5 x keepAliveSeconds (0 = never expires).</summary>
        public static bool Expired(long now, long lastPacket, int keepAliveSeconds)
        {
            return keepAliveSeconds > 0 && now - lastPacket > keepAliveSeconds * 1500L;
        }

        /// <summary>
        /// CONNACK code for a requested keep-alive under the configured bounds: Accepted, or IdentifierRejected
        /// as Mosquitto answers a 3.1/3.1.1 client outside max_keepalive (these versions have no other code for it).
        /// </summary>
        public static byte Check(BrokerOptions options, int keepAliveSeconds)
        {
            if (options.KeepAliveMaxSeconds > 0 && (keepAliveSeconds == 0 || keepAliveSeconds > options.KeepAliveMaxSeconds))
            {
                return ConnectReturnCode.IdentifierRejected;
            }

            if (keepAliveSeconds > 0 && keepAliveSeconds < options.KeepAliveMinSeconds)
            {
                return ConnectReturnCode.IdentifierRejected;
            }

            return ConnectReturnCode.Accepted;
        }
    }
}
