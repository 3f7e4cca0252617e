namespace Device.Client
{
    /// <summary>
    /// The client's outgoing exchanges that wait for an answer: QoS 1/2 publishes (with a copy of the packet,
    /// for redelivery), SUBSCRIBE and UNSUBSCRIBE. A fixed number of slots, allocated once; a packet id stays
    /// taken until its slot is released, so it is never reused while in flight ([MQTT-2.3.1-2]).
    /// </summary>
    internal sealed class InflightTable
    {
        public const byte Free = 0;
        public const byte AwaitPuback = 1;
        public const byte AwaitPubrec = 2;
        public const byte AwaitPubcomp = 3;
        public const byte AwaitSuback = 4;
        public const byte AwaitUnsuback = 5;

        public readonly ushort[] Ids;
        public readonly byte[] Kinds;

        /// <summary>Length of the stored PUBLISH (publish kinds), or the number of filters (SUBSCRIBE).</summary>
        public readonly int[] Lengths;
        public readonly long[] SentAt;

        /// <summary>Set when the slot's packet must go out again (reconnect or retry); cleared once it is queued.</summary>
        public readonly bool[] Resend;

        /// <summary>Slot i's stored PUBLISH starts at Store[i * SlotSize].</summary>
        public readonly byte[] Store;
        public readonly int SlotSize;

        // Redelivery keeps the original order (4.6): the sequence number says which publish came first.
        private readonly int[] _seq;
        private int _nextSeq;
        private int _lastId;

        public InflightTable(int capacity, int slotSize)
        {
            Ids = new ushort[capacity];
            Kinds = new byte[capacity];
            Lengths = new int[capacity];
            SentAt = new long[capacity];
            Resend = new bool[capacity];
            _seq = new int[capacity];
            SlotSize = slotSize;
            Store = new byte[capacity * slotSize];
        }

        public int Capacity { get { return Kinds.Length; } }

        public int Used
        {
            get
            {
                int n = 0;
                for (int i = 0; i < Kinds.Length; i++)
                {
                    if (Kinds[i] != Free)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        public int FindFree()
        {
            for (int i = 0; i < Kinds.Length; i++)
            {
                if (Kinds[i] == Free)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The slot holding packetId in the given state, or -1.</summary>
        public int Find(ushort packetId, byte kind)
        {
            for (int i = 0; i < Kinds.Length; i++)
            {
                if (Kinds[i] == kind && Ids[i] == packetId)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The next identifier after the last one handed out that no slot holds; never 0.</summary>
        public ushort NextPacketId()
        {
            // At most Capacity ids are taken, so this ends within Capacity + 1 steps.
            while (true)
            {
                _lastId = _lastId == 65535 ? 1 : _lastId + 1;
                bool taken = false;
                for (int i = 0; i < Kinds.Length; i++)
                {
                    if (Kinds[i] != Free && Ids[i] == _lastId)
                    {
                        taken = true;
                        break;
                    }
                }

                if (!taken)
                {
                    return (ushort)_lastId;
                }
            }
        }

        public void Take(int slot, ushort packetId, byte kind, int length, long nowMs)
        {
            Ids[slot] = packetId;
            Kinds[slot] = kind;
            Lengths[slot] = length;
            SentAt[slot] = nowMs;
            Resend[slot] = false;
            _seq[slot] = _nextSeq++;
        }

        public void Release(int slot)
        {
            Kinds[slot] = Free;
            Ids[slot] = 0;
            Resend[slot] = false;
        }

        /// <summary>The earliest slot marked for redelivery, or -1.</summary>
        public int FirstResend()
        {
            int best = -1;
            for (int i = 0; i < Kinds.Length; i++)
            {
                // Compared as a difference so that the order survives the counter wrapping around.
                if (Resend[i] && (best < 0 || _seq[i] - _seq[best] < 0))
                {
                    best = i;
                }
            }

            return best;
        }

        public static bool IsPublish(byte kind)
        {
            return kind == AwaitPuback || kind == AwaitPubrec || kind == AwaitPubcomp;
        }
    }
}
