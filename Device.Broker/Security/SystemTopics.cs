using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The $SYS tree belongs to the broker: clients may read it but not write it, ACL or not, except the bridge
    /// connection state topics ($SYS/broker/connection/+/state) a bridging broker publishes, as in Mosquitto
    /// (security.c, acl__check_dollar). Like there, any topic starting with the four bytes "$SYS" counts.
    /// </summary>
    public static class SystemTopics
    {
        private static readonly byte[] Sys = new byte[] { (byte)'$', (byte)'S', (byte)'Y', (byte)'S' };
        private static readonly byte[] BridgeState = new byte[]
        {
            (byte)'$', (byte)'S', (byte)'Y', (byte)'S', (byte)'/', (byte)'b', (byte)'r', (byte)'o', (byte)'k', (byte)'e', (byte)'r',
            (byte)'/', (byte)'c', (byte)'o', (byte)'n', (byte)'n', (byte)'e', (byte)'c', (byte)'t', (byte)'i', (byte)'o', (byte)'n',
            (byte)'/', (byte)'+', (byte)'/', (byte)'s', (byte)'t', (byte)'a', (byte)'t', (byte)'e'
        };

        /// <summary>Whether a client may publish to this topic name as far as the $SYS rule goes.</summary>
        public static bool ClientMayWrite(byte[] topic, int offset, int length)
        {
            if (length < Sys.Length || !Utf8.Equals(topic, offset, Sys.Length, Sys, 0, Sys.Length))
            {
                return true;
            }

            return Topic.Matches(BridgeState, 0, BridgeState.Length, topic, offset, length);
        }
    }
}
