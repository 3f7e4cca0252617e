namespace Device.Broker
{
    /// <summary>
    /// The will of each connection ([MQTT-3.1.2-8]): stored at CONNECT, published by the engine when the
    /// connection ends without DISCONNECT, discarded on DISCONNECT ([MQTT-3.1.2-10]). Topic and message share
    /// one arena record; the record handle is kept per connection.
    /// </summary>
    public sealed class Wills
    {
        private readonly ByteArena _arena;
        private readonly short[] _record;
        private readonly ushort[] _topicLength;
        private readonly byte[] _qos;
        private readonly bool[] _retain;

        public Wills(int connections, int bytes)
        {
            _arena = new ByteArena(bytes, connections);
            _record = new short[connections];
            _topicLength = new ushort[connections];
            _qos = new byte[connections];
            _retain = new bool[connections];
            for (int c = 0; c < connections; c++)
            {
                _record[c] = -1;
            }
        }

        internal static void Measure(Footprint f, int connections, int bytes)
        {
            f.Object(5);
            ByteArena.Measure(f, bytes, connections);
            f.Array(2, connections);
            f.Array(2, connections);
            f.Array(1, connections);
            f.Array(1, connections);
        }

        /// <summary>
        /// Whether a will of this size can be stored once the will of connection releasing (or -1) is gone,
        /// so a takeover is decided before the old connection is touched.
        /// </summary>
        public bool Fits(int topicLength, int messageLength, int releasing)
        {
            int back = releasing >= 0 && _record[releasing] >= 0 ? _arena.Length(_record[releasing]) : 0;
            return _arena.Available + back >= topicLength + messageLength;
        }

        public bool Set(int c, byte[] src, int topicOffset, int topicLength, int messageOffset, int messageLength, byte qos, bool retain)
        {
            Clear(c);
            int h = _arena.Alloc(topicLength + messageLength);
            if (h < 0)
            {
                return false;
            }

            int off = _arena.Offset(h);
            System.Array.Copy(src, topicOffset, _arena.Data, off, topicLength);
            if (messageLength > 0)
            {
                System.Array.Copy(src, messageOffset, _arena.Data, off + topicLength, messageLength);
            }

            _record[c] = (short)h;
            _topicLength[c] = (ushort)topicLength;
            _qos[c] = qos;
            _retain[c] = retain;
            return true;
        }

        public bool Has(int c)
        {
            return _record[c] >= 0;
        }

        public void Clear(int c)
        {
            if (_record[c] >= 0)
            {
                _arena.Free(_record[c]);
                _record[c] = -1;
            }
        }

        public byte[] Data { get { return _arena.Data; } }

        public int TopicOffset(int c)
        {
            return _arena.Offset(_record[c]);
        }

        public int TopicLength(int c)
        {
            return _topicLength[c];
        }

        public int MessageOffset(int c)
        {
            return _arena.Offset(_record[c]) + _topicLength[c];
        }

        public int MessageLength(int c)
        {
            return _arena.Length(_record[c]) - _topicLength[c];
        }

        public byte Qos(int c)
        {
            return _qos[c];
        }

        public bool Retain(int c)
        {
            return _retain[c];
        }

        public int BytesUsed { get { return _arena.Used; } }
    }
}
