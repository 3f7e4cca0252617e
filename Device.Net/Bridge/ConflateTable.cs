using Device.Broker;

namespace Device.Net
{
    /// <summary>
    /// The `conflate` option's table (ours, not Mosquitto's; docs/BRIDGE.md, "conflate"): QoS 0 messages bound for
    /// the upstream while it is away or cannot take them now, at most one per topic, the newest. A ring of fixed-size
    /// slots allocated once at start-up (Slots x SlotBytes bytes for topic and payload), so nothing is allocated per
    /// message: a new topic takes the next slot (the order topics were first held is the order they leave), a topic
    /// already held has its slot overwritten in place (counted Replaced). Only QoS 0 comes here: QoS 0 may be lost
    /// ([MQTT-4.3.1-1], "at most once"), so keeping only the newest reading is within the protocol; QoS 1/2 never
    /// come (nothing acknowledged is lost). Keys are the LOCAL topic names; the bridge swaps the prefix when it sends.
    /// </summary>
    public sealed class ConflateTable
    {
        /// <summary>Put: held in a slot of its own (a topic not held before).</summary>
        public const int Held = 0;

        /// <summary>Put: an older message of the same topic was overwritten.</summary>
        public const int Replaced = 1;

        /// <summary>Put: a new topic and every slot taken; the message is dropped (DroppedFull).</summary>
        public const int Full = 2;

        /// <summary>Put: topic and payload exceed a slot; dropped (DroppedOversize), and an older one of its topic with it.</summary>
        public const int Oversize = 3;

        private readonly byte[][] _filters;
        private readonly int _filterCount;
        private readonly byte[] _data;
        private readonly int _slotBytes;
        private readonly int[] _topicLength;

        /// <summary>Payload bytes of a slot; -1: the slot's message was discarded (an oversize newer one came), skipped when sent.</summary>
        private readonly int[] _payloadLength;
        private readonly bool[] _retain;
        private int _start;
        private int _count;

        /// <summary>Messages taken into a slot (new topic or replacing).</summary>
        public int Conflated;

        /// <summary>Held messages superseded by a newer one of their topic before they could go out (they never will).</summary>
        public int Superseded;

        /// <summary>Held messages handed to the upstream (Take).</summary>
        public int Sent;

        /// <summary>A new topic's message while every slot was taken: dropped.</summary>
        public int DroppedFull;

        /// <summary>Topic and payload larger than a slot: dropped.</summary>
        public int DroppedOversize;

        /// <summary>QoS 0 not matching a conflate pattern, taken and dropped while the upstream was away (as without conflate).</summary>
        public int DroppedAway;

        public ConflateTable(byte[][] filters, int filterCount, int slots, int slotBytes)
        {
            _filters = filters;
            _filterCount = filterCount;
            _slotBytes = slotBytes;
            _data = new byte[slots * slotBytes];
            _topicLength = new int[slots];
            _payloadLength = new int[slots];
            _retain = new bool[slots];
        }

        /// <summary>Instance fields (counted by BridgeFootprintTests by reflection).</summary>
        public const int Fields = 15;

        /// <summary>What the constructor allocates (the filters belong to BridgeOptions).</summary>
        public static void Measure(Footprint f, int slots, int slotBytes)
        {
            // 5 references (filters, data, three slot arrays), 10 ints (sizes, ring, counters).
            f.Object(5, 10, 0);
            f.Array(1, slots * slotBytes);
            f.Array(4, slots);
            f.Array(4, slots);
            f.Array(1, slots);
        }

        public int Capacity { get { return _topicLength.Length; } }

        public int SlotBytes { get { return _slotBytes; } }

        /// <summary>Slots in use (including discarded ones not yet passed over).</summary>
        public int Count { get { return _count; } }

        public byte[] Data { get { return _data; } }

        /// <summary>Whether a local topic name matches one of the conflate patterns.</summary>
        public bool Matches(byte[] buffer, int topicOffset, int topicLength)
        {
            for (int i = 0; i < _filterCount; i++)
            {
                byte[] f = _filters[i];
                if (Device.Protocol.Topic.Matches(f, 0, f.Length, buffer, topicOffset, topicLength))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Keeps this message as its topic's newest; returns Held, Replaced, Full or Oversize.</summary>
        public int Put(byte[] buffer, int topicOffset, int topicLength, int payloadOffset, int payloadLength, bool retain)
        {
            int slot = Find(buffer, topicOffset, topicLength);
            if (topicLength + payloadLength > _slotBytes)
            {
                if (slot >= 0 && _payloadLength[slot] >= 0)
                {
                    // The older reading must not go out as the newest: it is discarded with the one that did not fit.
                    _payloadLength[slot] = -1;
                    Superseded++;
                }

                DroppedOversize++;
                return Oversize;
            }

            int result = Replaced;
            if (slot < 0)
            {
                if (_count == _topicLength.Length)
                {
                    DroppedFull++;
                    return Full;
                }

                slot = (_start + _count) % _topicLength.Length;
                _count++;
                _topicLength[slot] = topicLength;
                System.Array.Copy(buffer, topicOffset, _data, slot * _slotBytes, topicLength);
                result = Held;
            }
            else if (_payloadLength[slot] >= 0)
            {
                Superseded++;
            }
            else
            {
                // A discarded slot of this topic takes the new reading in its place (its first-held position).
                result = Held;
            }

            System.Array.Copy(buffer, payloadOffset, _data, slot * _slotBytes + topicLength, payloadLength);
            _payloadLength[slot] = payloadLength;
            _retain[slot] = retain;
            Conflated++;
            return result;
        }

        /// <summary>The slot that leaves next (the topic held longest), or -1 when empty.</summary>
        public int Oldest { get { return _count > 0 ? _start : -1; } }

        /// <summary>Whether a slot holds a message to send (false for a discarded one).</summary>
        public bool Live(int slot)
        {
            return _payloadLength[slot] >= 0;
        }

        public int TopicOffset(int slot)
        {
            return slot * _slotBytes;
        }

        public int TopicLength(int slot)
        {
            return _topicLength[slot];
        }

        public int PayloadOffset(int slot)
        {
            return slot * _slotBytes + _topicLength[slot];
        }

        public int PayloadLength(int slot)
        {
            return _payloadLength[slot];
        }

        public bool Retain(int slot)
        {
            return _retain[slot];
        }

        /// <summary>Frees the oldest slot; sent says whether its message went out (counted Sent) or was discarded.</summary>
        public void RemoveOldest(bool sent)
        {
            if (_count == 0)
            {
                return;
            }

            if (sent)
            {
                Sent++;
            }

            _start = (_start + 1) % _topicLength.Length;
            _count--;
        }

        private int Find(byte[] buffer, int topicOffset, int topicLength)
        {
            int capacity = _topicLength.Length;
            for (int k = 0; k < _count; k++)
            {
                int slot = (_start + k) % capacity;
                if (_topicLength[slot] != topicLength)
                {
                    continue;
                }

                int at = slot * _slotBytes;
                int i = 0;
                while (i < topicLength && _data[at + i] == buffer[topicOffset + i])
                {
                    i++;
                }

                if (i == topicLength)
                {
                    return slot;
                }
            }

            return -1;
        }
    }
}
