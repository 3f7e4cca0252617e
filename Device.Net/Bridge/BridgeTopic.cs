namespace Device.Net
{
    /// <summary>
    /// One `topic PATTERN [DIRECTION [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]` line, as UTF-8 bytes built once at
    /// start-up. Locally the subscription is LocalPrefix + Pattern, upstream RemotePrefix + Pattern; a forwarded
    /// topic swaps the one prefix for the other (Mosquitto's bridge remapping).
    /// </summary>
    public sealed class BridgeTopic
    {
        public BridgeTopic(string pattern, BridgeDirection direction, byte qos, string localPrefix, string remotePrefix)
        {
            Direction = direction;
            Qos = qos;
            LocalPrefix = Bytes(localPrefix);
            RemotePrefix = Bytes(remotePrefix);
            byte[] p = Bytes(pattern);
            LocalFilter = Join(LocalPrefix, p);
            RemoteFilter = Join(RemotePrefix, p);
        }

        public readonly BridgeDirection Direction;
        public readonly byte Qos;
        public readonly byte[] LocalPrefix;
        public readonly byte[] RemotePrefix;
        public readonly byte[] LocalFilter;
        public readonly byte[] RemoteFilter;

        public bool Outgoing { get { return Direction != BridgeDirection.In; } }

        public bool Incoming { get { return Direction != BridgeDirection.Out; } }

        private static byte[] Bytes(string s)
        {
            if (s == null)
            {
                return new byte[0];
            }

            byte[] b = new byte[Device.Protocol.Utf8.ByteCount(s)];
            Device.Protocol.Utf8.Encode(s, b, 0);
            return b;
        }

        private static byte[] Join(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            System.Array.Copy(a, 0, r, 0, a.Length);
            System.Array.Copy(b, 0, r, a.Length, b.Length);
            return r;
        }
    }
}
