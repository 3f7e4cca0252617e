namespace Device.Broker
{
    /// <summary>
    /// The one copy of every QoS 1/2 message that some session still has to deliver or may have to resend.
    /// A message is stored once however many sessions receive it; each in-flight slot and queue entry holds a
    /// reference, and the message is freed when the last one lets go. Topic and payload sit back to back in
    /// one arena record so a PUBLISH can be encoded straight from it.
    /// </summary>
    public sealed class MessageStore
    {
        private readonly ByteArena _arena;
        private readonly short[] _refs;
        private readonly ushort[] _topicLength;
        private int _count;

        public MessageStore(int slots, int bytes)
        {
            // The arena has exactly one record per slot, so the arena handle is the message id.
            _arena = new ByteArena(bytes, slots);
            _refs = new short[slots];
            _topicLength = new ushort[slots];
        }

        internal static void Measure(Footprint f, int slots, int bytes)
        {
            f.Object(4);
            ByteArena.Measure(f, bytes, slots);
            f.Array(2, slots);
            f.Array(2, slots);
        }

        /// <summary>Messages stored now.</summary>
        public int Count { get { return _count; } }

        public int BytesUsed { get { return _arena.Used; } }

        public byte[] Data { get { return _arena.Data; } }

        /// <summary>
        /// Copies topic and payload in; returns the message id holding one reference (the caller's), or -1
        /// when there is no slot or no room.
        /// </summary>
        public int Add(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength)
        {
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

        public void AddRef(int id)
        {
            _refs[id]++;
        }

        public void Release(int id)
        {
            if (--_refs[id] == 0)
            {
                _arena.Free(id);
                _count--;
            }
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
    }
}
