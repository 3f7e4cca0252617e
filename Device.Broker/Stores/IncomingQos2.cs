namespace Device.Broker
{
    /// <summary>
    /// Packet ids of inbound QoS 2 PUBLISH packets that were routed and answered with PUBREC but whose PUBREL
    /// has not come yet: a PUBLISH repeating one of them is answered with PUBREC again and not routed twice
    /// ([MQTT-4.3.3-2]). Kept in arrival order per session.
    /// An id is never forgotten before its PUBREL: when all slots are taken, the client's next new QoS 2 PUBLISH
    /// is held (Flow/BackPressure.cs) while its PUBRELs are still read. (Mosquitto instead drops the new message
    /// after sending PUBREC, which loses it for certain; forgetting the oldest id would route its resend twice.)
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

        /// <summary>The k-th remembered id of session s, 0 &lt;= k &lt; Count(s) (for saving).</summary>
        public ushort Id(int s, int k)
        {
            return _ids[s * _per + k];
        }

        public bool IsFull(int s)
        {
            return _count[s] >= _per;
        }

        /// <summary>Remembers a new id; false (nothing changed) when the table is full.</summary>
        public bool Add(int s, ushort packetId)
        {
            if (_count[s] >= _per)
            {
                return false;
            }

            _ids[s * _per + _count[s]] = packetId;
            _count[s]++;
            return true;
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
