namespace Device.Broker
{
    /// <summary>
    /// Connection buffers on demand (the Host profile, <see cref="BrokerOptions.GrowBuffers"/>): a connection
    /// holds a receive or transmit buffer only while it has bytes in it, so 10,000 idle clients cost no buffer
    /// memory and one busy client can have a large one. Sizes from <see cref="MinSize"/> to
    /// <see cref="LargestPooled"/> come in powers of two and are reused (nothing is allocated per routed message
    /// once the pool has warmed up); larger buffers (a packet of megabytes) are allocated for the packet at hand
    /// and given back to the GC when it has gone. <see cref="Limit"/> bounds the bytes handed out at once; past
    /// it a Rent fails and the caller waits (back-pressure), it never throws.
    ///
    /// The board never uses this (its profile keeps every buffer preallocated, Connections' fixed windows). The
    /// free lists are stacks that grow (doubling) while the pool warms up and then stay.
    /// </summary>
    public sealed class BufferPool
    {
        /// <summary>The smallest buffer: a CONNECT, a SUBSCRIBE or a small PUBLISH fits.</summary>
        public const int MinSize = 512;

        /// <summary>Buffers up to this size are kept for reuse; above it they are the GC's again once returned.</summary>
        public const int LargestPooled = 65536;

        private const int Classes = 8;

        // Free buffers idle for a whole trim period are released (the fewest free since the last trim).
        private const int TrimEveryMs = 30000;

        private readonly byte[][][] _free = new byte[Classes][][];
        private readonly int[] _count = new int[Classes];
        private readonly int[] _lowWater = new int[Classes];
        private readonly long _limit;
        private long _inUse;
        private long _pooled;
        private long _nextTrim;
        private long _allocated;

        // Connections whose receive room the engine opened outside their own calls (a held publisher retried),
        // in a ring without repeats, for the transport to read again: it does not ask every held one every pass.
        private int[] _woken;
        private bool[] _isWoken;
        private int _wokenStart;
        private int _wokenCount;

        public BufferPool(long limit)
        {
            _limit = limit;
        }

        /// <summary>Each connection's receive buffer, null while it has none (Connections indexes them).</summary>
        internal byte[][] Rx;

        /// <summary>Each connection's transmit buffer, null while it has none.</summary>
        internal byte[][] Tx;

        /// <summary>Makes the per-connection slots (Connections' constructor).</summary>
        internal void Attach(int connections)
        {
            Rx = new byte[connections][];
            Tx = new byte[connections][];
            _woken = new int[connections];
            _isWoken = new bool[connections];
        }

        /// <summary>Connection c may have room to read again (its held PUBLISH was taken by a retry).</summary>
        internal void Wake(int c)
        {
            if (_isWoken == null || _isWoken[c])
            {
                return;
            }

            _isWoken[c] = true;
            _woken[(_wokenStart + _wokenCount) % _woken.Length] = c;
            _wokenCount++;
        }

        /// <summary>The next connection woken since the last call, -1 when none.</summary>
        internal int TakeWoken()
        {
            if (_wokenCount == 0)
            {
                return -1;
            }

            int c = _woken[_wokenStart];
            _wokenStart = (_wokenStart + 1) % _woken.Length;
            _wokenCount--;
            _isWoken[c] = false;
            return c;
        }

        /// <summary>The pool itself and the connections' buffer slots (its buffers and free lists are the traffic's, not preallocated).</summary>
        internal static void Measure(Footprint f, int connections)
        {
            f.Object(14);
            f.Array(8, connections);
            f.Array(8, connections);
            f.Array(4, connections);
            f.Array(1, connections);
            f.Array(8, Classes);
            f.Array(4, Classes);
            f.Array(4, Classes);
        }

        /// <summary>Bytes of buffers handed out at most at once.</summary>
        public long Limit { get { return _limit; } }

        /// <summary>Bytes of buffers connections hold now.</summary>
        public long InUseBytes { get { return _inUse; } }

        /// <summary>Bytes of free buffers kept for reuse.</summary>
        public long PooledBytes { get { return _pooled; } }

        /// <summary>Bytes ever allocated (the pool warming up and large packets); flat while only reusing.</summary>
        public long AllocatedBytes { get { return _allocated; } }

        /// <summary>The size Rent hands out for a request of n bytes.</summary>
        public static int SizeFor(int n)
        {
            if (n > LargestPooled)
            {
                // Rounded to 4 KB pages: a 16 MB packet takes 16 MB, not 32.
                return (int)(((long)n + 4095) / 4096 * 4096);
            }

            int size = MinSize;
            while (size < n)
            {
                size <<= 1;
            }

            return size;
        }

        /// <summary>Whether a buffer of n bytes could be had now.</summary>
        public bool CanRent(int n)
        {
            return _inUse + SizeFor(n) <= _limit;
        }

        /// <summary>A buffer of at least n bytes, or null when the limit is reached.</summary>
        public byte[] Rent(int n)
        {
            int size = SizeFor(n);
            if (_inUse + size > _limit)
            {
                return null;
            }

            _inUse += size;
            int k = ClassOf(size);
            if (k >= 0 && _count[k] > 0)
            {
                int count = --_count[k];
                byte[] b = _free[k][count];
                _free[k][count] = null;
                _pooled -= size;
                if (count < _lowWater[k])
                {
                    _lowWater[k] = count;
                }

                return b;
            }

            _allocated += size;
            return new byte[size];
        }

        /// <summary>Takes a buffer back from a connection (null is ignored).</summary>
        public void Return(byte[] b)
        {
            if (b == null)
            {
                return;
            }

            _inUse -= b.Length;
            int k = ClassOf(b.Length);
            if (k >= 0)
            {
                byte[][] stack = _free[k];
                int count = _count[k];
                if (stack == null || count == stack.Length)
                {
                    // First use: room for two buffers per connection at once (its receive and transmit buffer), so the
                    // free list never grows again while the broker runs (no allocation after warm-up).
                    int first = Rx != null ? 2 * Rx.Length : 16;
                    byte[][] bigger = new byte[stack == null ? first : stack.Length * 2][];
                    if (stack != null)
                    {
                        System.Array.Copy(stack, bigger, count);
                    }

                    _free[k] = bigger;
                    stack = bigger;
                }

                stack[count] = b;
                _count[k] = count + 1;
                _pooled += b.Length;
            }
        }

        /// <summary>Called from the engine's Tick: free buffers nobody needed for a whole period go back to the GC.</summary>
        public void Trim(long now)
        {
            if (now < _nextTrim)
            {
                return;
            }

            _nextTrim = now + TrimEveryMs;
            for (int k = 0; k < Classes; k++)
            {
                int drop = _lowWater[k];
                if (drop > _count[k])
                {
                    drop = _count[k];
                }

                for (int i = 0; i < drop; i++)
                {
                    _free[k][--_count[k]] = null;
                    _pooled -= MinSize << k;
                }

                _lowWater[k] = _count[k];
            }
        }

        private static int ClassOf(int size)
        {
            int s = MinSize;
            for (int k = 0; k < Classes; k++)
            {
                if (s == size)
                {
                    return k;
                }

                s <<= 1;
            }

            return -1;
        }
    }
}
