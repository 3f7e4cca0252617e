namespace Device.Broker
{
    /// <summary>
    /// Packet ids of inbound QoS 2 PUBLISH packets that were routed and answered with PUBREC but whose PUBREL
    /// has not come yet: a PUBLISH repeating one of them is answered with PUBREC again and not routed twice
    /// ([MQTT-4.3.3-2]). Kept in arrival order per session.
    /// When all slots are taken, the oldest id is forgotten to make room (counted as Qos2IdsEvicted): a client
    /// that pipelines more QoS 2 messages than the table holds keeps being served, and only a resend of that
    /// oldest id after a reconnect could then be routed twice. Mosquitto instead drops the new message after
    /// sending PUBREC, which loses it for certain.
    /// </summary>
    public sealed class IncomingQos2
    {
        private readonly int _per;
        private readonly ushort[] _ids;
        private readonly short[] _count;

        public IncomingQos2(int sessions, int perSession)
        {
            _per = perSession;
            _ids = new ushort[sessions * perSession];
            _count = new short[sessions];
        }

        internal static void Measure(Footprint f, int sessions, int perSession)
        {
            f.Object(3);
            f.Array(2, sessions * perSession);
            f.Array(2, sessions);
        }

        public int Count(int s)
        {
            return _count[s];
        }

        public bool Contains(int s, ushort packetId)
        {
            int first = s * _per;
            for (int i = first; i < first + _count[s]; i++)
            {
                if (_ids[i] == packetId)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Remembers a new id; true when the oldest had to be forgotten for it.</summary>
        public bool Add(int s, ushort packetId)
        {
            int first = s * _per;
            bool evicted = false;
            if (_count[s] >= _per)
            {
                System.Array.Copy(_ids, first + 1, _ids, first, _per - 1);
                _count[s]--;
                evicted = true;
            }

            _ids[first + _count[s]] = packetId;
            _count[s]++;
            return evicted;
        }

        /// <summary>Forgets the id (PUBREL came); false when it was not remembered.</summary>
        public bool Remove(int s, ushort packetId)
        {
            int first = s * _per;
            int n = _count[s];
            for (int i = first; i < first + n; i++)
            {
                if (_ids[i] == packetId)
                {
                    System.Array.Copy(_ids, i + 1, _ids, i, first + n - i - 1);
                    _count[s]--;
                    return true;
                }
            }

            return false;
        }

        public void Clear(int s)
        {
            _count[s] = 0;
        }
    }
}
