namespace Device.Broker
{
    /// <summary>
    /// Variable-length byte records in one preallocated array, addressed by stable handles. Records are laid
    /// out in allocation order; a new record goes after the last one, and when the tail has no room the live
    /// records slide down over the holes (compaction) first. Handles never move, offsets do: read
    /// <see cref="Offset"/> again after any <see cref="Alloc"/> on the same arena.
    /// Chosen over fixed-size blocks so that every record is contiguous and can be handed to the codec's
    /// encoders as one (buffer, offset, length) without a gather step. Handles are ints: the PC's message pool holds
    /// far more than 32767 records.
    /// </summary>
    public sealed class ByteArena
    {
        /// <summary>The storage; read it at Offset(h) for Length(h) bytes.</summary>
        public readonly byte[] Data;

        private readonly int[] _offset;
        private readonly int[] _length;

        // Doubly linked list of live records in address order, so compaction walks them front to back.
        private readonly int[] _prev;
        private readonly int[] _next;
        private readonly int[] _freeHandles;
        private int _freeCount;
        private int _head = -1;
        private int _tail = -1;
        private int _top;
        private int _used;

        public ByteArena(int capacity, int records)
        {
            Data = new byte[capacity];
            _offset = new int[records];
            _length = new int[records];
            _prev = new int[records];
            _next = new int[records];
            _freeHandles = new int[records];
            for (int i = 0; i < records; i++)
            {
                // Hand out low handles first: tests and dumps read more easily.
                _freeHandles[i] = records - 1 - i;
            }

            _freeCount = records;
        }

        internal static void Measure(Footprint f, int capacity, int records)
        {
            f.Object(11);
            f.Array(1, capacity);
            f.Array(4, records);
            f.Array(4, records);
            f.Array(4, records);
            f.Array(4, records);
            f.Array(4, records);
        }

        public int Capacity { get { return Data.Length; } }

        /// <summary>Offset by handle, for the owning store's scan loops (a call per record is what the interpreter pays for); read only.</summary>
        internal int[] Offsets { get { return _offset; } }

        /// <summary>Length by handle, like <see cref="Offsets"/>; read only.</summary>
        internal int[] Lengths { get { return _length; } }

        /// <summary>Bytes held by live records.</summary>
        public int Used { get { return _used; } }

        public int Available { get { return Data.Length - _used; } }

        /// <summary>Whether a record of length bytes fits now (possibly after compaction).</summary>
        public bool CanAlloc(int length)
        {
            return _freeCount > 0 && length <= Data.Length - _used;
        }

        /// <summary>Reserves length bytes (contents undefined); returns the handle, or -1 when it does not fit.</summary>
        public int Alloc(int length)
        {
            if (length < 0 || !CanAlloc(length))
            {
                return -1;
            }

            if (_top + length > Data.Length)
            {
                Compact();
            }

            int h = _freeHandles[--_freeCount];
            _offset[h] = _top;
            _length[h] = length;
            _prev[h] = _tail;
            _next[h] = -1;
            if (_tail >= 0)
            {
                _next[_tail] = h;
            }
            else
            {
                _head = h;
            }

            _tail = h;
            _top += length;
            _used += length;
            return h;
        }

        public void Free(int h)
        {
            int p = _prev[h];
            int n = _next[h];
            if (p >= 0)
            {
                _next[p] = n;
            }
            else
            {
                _head = n;
            }

            if (n >= 0)
            {
                _prev[n] = p;
            }
            else
            {
                _tail = p;
                // Freeing the last record gives its bytes straight back to the tail.
                _top = p >= 0 ? _offset[p] + _length[p] : 0;
            }

            _used -= _length[h];
            _length[h] = 0;
            _freeHandles[_freeCount++] = h;
        }

        public int Offset(int h)
        {
            return _offset[h];
        }

        public int Length(int h)
        {
            return _length[h];
        }

        private void Compact()
        {
            int pos = 0;
            for (int h = _head; h >= 0; h = _next[h])
            {
                int off = _offset[h];
                if (off != pos)
                {
                    // Always a move towards the front, so overlapping ranges copy safely front to back.
                    System.Array.Copy(Data, off, Data, pos, _length[h]);
                    _offset[h] = pos;
                }

                pos += _length[h];
            }

            _top = pos;
        }
    }
}
