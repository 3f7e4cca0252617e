using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The last retained message of each topic ([MQTT-3.3.1-5]): a fixed number of slots, topic and payload
    /// back to back in one arena record. A new topic is refused when slots or bytes run out; replacing a
    /// topic's message is refused (the old one kept intact) when the new one does not fit even after the old
    /// one's bytes are given back. Either way nothing already stored is touched.
    /// </summary>
    public sealed class Retained
    {
        private readonly ByteArena _arena;
        private readonly bool[] _used;
        private readonly ushort[] _topicLength;
        private readonly byte[] _qos;
        private readonly int[] _hash;

        // The slots in use, packed, so lookups visit Count slots rather than Capacity.
        private readonly LiveList _live;

        public Retained(int slots, int bytes)
        {
            // One arena record per slot: the arena handle is the slot number.
            _arena = new ByteArena(bytes, slots);
            _used = new bool[slots];
            _topicLength = new ushort[slots];
            _qos = new byte[slots];
            _hash = new int[slots];
            _live = new LiveList(slots);
        }

        internal static void Measure(Footprint f, int slots, int bytes)
        {
            f.Object(6);
            ByteArena.Measure(f, bytes, slots);
            f.Array(1, slots);
            f.Array(2, slots);
            f.Array(1, slots);
            f.Array(4, slots);
            LiveList.Measure(f, slots);
        }

        public int Count { get { return _live.Count; } }

        public int BytesUsed { get { return _arena.Used; } }

        public int Capacity { get { return _used.Length; } }

        public bool InUse(int i)
        {
            return _used[i];
        }

        /// <summary>The k-th slot in use, 0 &lt;= k &lt; Count (the order changes as messages go).</summary>
        public int At(int k)
        {
            return _live.At(k);
        }

        public byte[] Data { get { return _arena.Data; } }

        public int TopicOffset(int i)
        {
            return _arena.Offset(i);
        }

        public int TopicLength(int i)
        {
            return _topicLength[i];
        }

        public int PayloadOffset(int i)
        {
            return _arena.Offset(i) + _topicLength[i];
        }

        public int PayloadLength(int i)
        {
            return _arena.Length(i) - _topicLength[i];
        }

        public byte Qos(int i)
        {
            return _qos[i];
        }

        /// <summary>The slot holding this topic, or -1.</summary>
        public int Find(byte[] topic, int offset, int length)
        {
            int hash = Hash(topic, offset, length);
            int count = _live.Count;
            for (int k = 0; k < count; k++)
            {
                int i = _live.At(k);
                if (_hash[i] == hash && _topicLength[i] == length
                    && Utf8.Equals(_arena.Data, _arena.Offset(i), length, topic, offset, length))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Applies a retained PUBLISH: stores, replaces or (empty payload, [MQTT-3.3.1-10]) deletes.
        /// </summary>
        public RetainResult Set(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength, byte qos)
        {
            int slot = Find(topic, topicOffset, topicLength);
            if (payloadLength == 0)
            {
                if (slot < 0)
                {
                    return RetainResult.NothingToDelete;
                }

                Free(slot);
                return RetainResult.Deleted;
            }

            int need = topicLength + payloadLength;
            bool replacing = slot >= 0;
            if (replacing)
            {
                // Decide before freeing: a refused replacement must leave the old message as it was.
                if (_arena.Available + _arena.Length(slot) < need)
                {
                    return RetainResult.Refused;
                }

                Free(slot);
            }
            else if (!_arena.CanAlloc(need))
            {
                return RetainResult.Refused;
            }

            int h = _arena.Alloc(need);
            int off = _arena.Offset(h);
            System.Array.Copy(topic, topicOffset, _arena.Data, off, topicLength);
            System.Array.Copy(payload, payloadOffset, _arena.Data, off + topicLength, payloadLength);
            _used[h] = true;
            _topicLength[h] = (ushort)topicLength;
            _qos[h] = qos;
            _hash[h] = Hash(topic, topicOffset, topicLength);
            _live.Add(h);
            return replacing ? RetainResult.Replaced : RetainResult.Stored;
        }

        private void Free(int slot)
        {
            _arena.Free(slot);
            _used[slot] = false;
            _live.Remove(slot);
        }

        /// <summary>FNV-1a: lets Find skip almost every slot without comparing bytes.</summary>
        private static int Hash(byte[] b, int offset, int length)
        {
            uint h = 2166136261;
            for (int i = offset; i < offset + length; i++)
            {
                h = (h ^ b[i]) * 16777619;
            }

            return (int)h;
        }
    }
}
