namespace Device.Broker
{
    /// <summary>
    /// The one copy of every message some session still has to deliver or may have to resend, shared by the
    /// whole broker: a message is stored once however many sessions receive it; each delivery (queued or in
    /// flight, see <see cref="Deliveries"/>) holds a reference, and the message is freed when the last one lets
    /// go. Topic and payload sit back to back in one arena record so a PUBLISH can be encoded straight from it.
    ///
    /// The pool counts as full before its bytes are all used: the last eighth is kept free so that compaction
    /// (<see cref="ByteArena"/>) always wins at least that much room and never runs for every message when the
    /// pool is nearly full (back-pressure is exactly when it is nearly full).
    /// </summary>
    public sealed class MessagePool
    {
        private readonly ByteArena _arena;
        private readonly int[] _refs;
        private readonly ushort[] _topicLength;
        private readonly int _limit;
        private int _count;

        public MessagePool(int messages, int bytes)
        {
            // The arena has exactly one record per message, so the arena handle is the message id.
            _arena = new ByteArena(bytes, messages);
            _refs = new int[messages];
            _topicLength = new ushort[messages];
            _limit = bytes - bytes / 8;
        }

        internal static void Measure(Footprint f, int messages, int bytes)
        {
            f.Object(5);
            ByteArena.Measure(f, bytes, messages);
            f.Array(4, messages);
            f.Array(2, messages);
        }

        /// <summary>Messages stored now.</summary>
        public int Count { get { return _count; } }

        public int Capacity { get { return _refs.Length; } }

        public int BytesUsed { get { return _arena.Used; } }

        /// <summary>Bytes that may be in use before the pool counts as full (seven eighths of the arena).</summary>
        public int ByteLimit { get { return _limit; } }

        public byte[] Data { get { return _arena.Data; } }

        /// <summary>Whether a message of this many topic and payload bytes can be stored now.</summary>
        public bool CanStore(int length)
        {
            return _count < _refs.Length && _arena.Used + length <= _limit;
        }

        /// <summary>Whether it fits while at most a fraction (1/divisor) of the pool is in use: offline sessions' share.</summary>
        public bool CanStoreWithin(int length, int divisor)
        {
            return _count < _refs.Length / divisor && _arena.Used + length <= _limit / divisor;
        }

        /// <summary>
        /// Copies topic and payload in; returns the message id holding one reference (the caller's), or -1
        /// when the pool is full.
        /// </summary>
        public int Add(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength)
        {
            if (!CanStore(topicLength + payloadLength))
            {
                return -1;
            }

            int id = _arena.Alloc(topicLength + payloadLength);
            if (id < 0)
            {
                return -1;
            }

            int off = _arena.Offset(id);
            System.Array.Copy(topic, topicOffset, _arena.Data, off, topicLength);
            if (payloadLength > 0)
            {
                System.Array.Copy(payload, payloadOffset, _arena.Data, off + topicLength, payloadLength);
            }

            _topicLength[id] = (ushort)topicLength;
            _refs[id] = 1;
            _count++;
            return id;
        }

        /// <summary>
        /// As <see cref="Add"/> with the topic given as text: encoded as UTF-8 (topicLength = Utf8.ByteCount(topic))
        /// straight into the record, for the embedding API's Publish(string, ...): no scratch buffer, no allocation.
        /// </summary>
        public int AddText(string topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength)
        {
            if (!CanStore(topicLength + payloadLength))
            {
                return -1;
            }

            int id = _arena.Alloc(topicLength + payloadLength);
            if (id < 0)
            {
                return -1;
            }

            int off = _arena.Offset(id);
            Device.Protocol.Utf8.Encode(topic, _arena.Data, off);
            if (payloadLength > 0)
            {
                System.Array.Copy(payload, payloadOffset, _arena.Data, off + topicLength, payloadLength);
            }

            _topicLength[id] = (ushort)topicLength;
            _refs[id] = 1;
            _count++;
            return id;
        }

        public void AddRef(int id)
        {
            _refs[id]++;
        }

        /// <summary>Lets go of one reference; true when that freed the message.</summary>
        public bool Release(int id)
        {
            if (--_refs[id] == 0)
            {
                _arena.Free(id);
                _count--;
                return true;
            }

            return false;
        }

        public int References(int id)
        {
            return _refs[id];
        }

        public int TopicOffset(int id)
        {
            return _arena.Offset(id);
        }

        public int TopicLength(int id)
        {
            return _topicLength[id];
        }

        public int PayloadOffset(int id)
        {
            return _arena.Offset(id) + _topicLength[id];
        }

        public int PayloadLength(int id)
        {
            return _arena.Length(id) - _topicLength[id];
        }

        /// <summary>Topic and payload bytes together: what the message costs each queue's byte limit.</summary>
        public int Length(int id)
        {
            return _arena.Length(id);
        }
    }
}
