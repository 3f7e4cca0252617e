namespace Device.Broker
{
    /// <summary>
    /// Per session, the messages waiting their turn: while the client is away (persistent sessions), while its
    /// in-flight slots are all taken, or while its transmit buffer is full. A bounded ring per session; when it
    /// is full the newest message is refused, as Mosquitto's max_queued_messages does.
    /// </summary>
    public sealed class MessageQueue
    {
        private readonly int _per;
        private readonly short[] _message;
        private readonly byte[] _qos;
        private readonly bool[] _retain;
        private readonly short[] _head;
        private readonly short[] _count;

        public MessageQueue(int sessions, int perSession)
        {
            _per = perSession;
            _message = new short[sessions * perSession];
            _qos = new byte[sessions * perSession];
            _retain = new bool[sessions * perSession];
            _head = new short[sessions];
            _count = new short[sessions];
        }

        internal static void Measure(Footprint f, int sessions, int perSession)
        {
            f.Object(6);
            f.Array(2, sessions * perSession);
            f.Array(1, sessions * perSession);
            f.Array(1, sessions * perSession);
            f.Array(2, sessions);
            f.Array(2, sessions);
        }

        public int Count(int s)
        {
            return _count[s];
        }

        /// <summary>Appends; the caller has already taken the reference the entry now owns. False when full.</summary>
        public bool Push(int s, int message, byte qos, bool retain)
        {
            if (_count[s] >= _per)
            {
                return false;
            }

            int i = s * _per + (_head[s] + _count[s]) % _per;
            _message[i] = (short)message;
            _qos[i] = qos;
            _retain[i] = retain;
            _count[s]++;
            return true;
        }

        public int PeekMessage(int s)
        {
            return _message[s * _per + _head[s]];
        }

        public byte PeekQos(int s)
        {
            return _qos[s * _per + _head[s]];
        }

        public bool PeekRetain(int s)
        {
            return _retain[s * _per + _head[s]];
        }

        /// <summary>Drops the head entry; its reference passes to the caller.</summary>
        public void Pop(int s)
        {
            _head[s] = (short)((_head[s] + 1) % _per);
            _count[s]--;
        }

        public void Clear(int s, MessageStore store)
        {
            while (_count[s] > 0)
            {
                store.Release(PeekMessage(s));
                Pop(s);
            }

            _head[s] = 0;
        }
    }
}
