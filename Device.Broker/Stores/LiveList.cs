namespace Device.Broker
{
    /// <summary>
    /// The slot numbers of a store that are in use, packed at the front, so a scan visits Count entries
    /// rather than Capacity. Add and Remove are O(1): removing moves the last entry into the freed position,
    /// so the order changes as slots go. Subscriptions and Retained keep their live slots here.
    /// </summary>
    public sealed class LiveList
    {
        private readonly short[] _items;

        // Where each slot sits in _items (valid only while the slot is live).
        private readonly short[] _position;
        private int _count;

        public LiveList(int capacity)
        {
            _items = new short[capacity];
            _position = new short[capacity];
        }

        internal static void Measure(Footprint f, int capacity)
        {
            f.Object(3);
            f.Array(2, capacity);
            f.Array(2, capacity);
        }

        public int Count { get { return _count; } }

        /// <summary>The live slots in [0, Count): for a hot loop that reads them without a call per slot.</summary>
        public short[] Items { get { return _items; } }

        /// <summary>The k-th live slot, 0 &lt;= k &lt; Count.</summary>
        public int At(int k)
        {
            return _items[k];
        }

        /// <summary>Slot must not be live already (the stores add a slot right after allocating it).</summary>
        public void Add(int slot)
        {
            _items[_count] = (short)slot;
            _position[slot] = (short)_count;
            _count++;
        }

        /// <summary>Slot must be live; the last entry takes its position.</summary>
        public void Remove(int slot)
        {
            int position = _position[slot];
            int last = _items[--_count];
            _items[position] = (short)last;
            _position[last] = (short)position;
        }
    }
}
