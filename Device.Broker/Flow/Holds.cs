namespace Device.Broker
{
    /// <summary>
    /// The connections whose next PUBLISH the engine cannot place yet (back-pressure), in the order they were
    /// held, so room that frees up goes to the longest-waiting publisher first; and, per connection, the stall
    /// clock: when it last took anything (bytes sent to it, an ack from it), and whether it was found holding a
    /// publisher back for longer than the stall time (then the engine cuts it at the end of the Tick).
    /// </summary>
    public sealed class Holds
    {
        public const byte None = 0;

        /// <summary>A connected subscriber's queue is at its limit (MaxQueuedMessages/Bytes, or its share of the pool).</summary>
        public const byte QueueFull = 1;

        /// <summary>The shared pool has no room for the message or its deliveries.</summary>
        public const byte PoolFull = 2;

        /// <summary>The publisher's own table of unreleased QoS 2 ids is full: only its PUBRELs are read until one is released.</summary>
        public const byte Qos2Ids = 3;

        private readonly int[] _ring;
        private readonly bool[] _inRing;
        private readonly byte[] _reason;
        private readonly long[] _progress;
        private readonly bool[] _stalled;
        private int _start;
        private int _count;
        private int _held;

        public Holds(int connections)
        {
            _ring = new int[connections];
            _inRing = new bool[connections];
            _reason = new byte[connections];
            _progress = new long[connections];
            _stalled = new bool[connections];
        }

        internal static void Measure(Footprint f, int connections)
        {
            f.Object(8);
            f.Array(4, connections);
            f.Array(1, connections);
            f.Array(1, connections);
            f.Array(8, connections);
            f.Array(1, connections);
        }

        /// <summary>Connections held now.</summary>
        public int Count { get { return _held; } }

        /// <summary>Entries in the retry ring (held ones, and released ones not yet passed over).</summary>
        public int RingCount { get { return _count; } }

        public bool IsHeld(int c)
        {
            return _reason[c] != None;
        }

        public byte Reason(int c)
        {
            return _reason[c];
        }

        /// <summary>Marks c held for this reason; true when it was not held before.</summary>
        public bool Hold(int c, byte reason)
        {
            bool fresh = _reason[c] == None;
            if (fresh)
            {
                _held++;
            }

            _reason[c] = reason;
            if (!_inRing[c])
            {
                _inRing[c] = true;
                _ring[(_start + _count) % _ring.Length] = c;
                _count++;
            }

            return fresh;
        }

        public void Release(int c)
        {
            if (_reason[c] != None)
            {
                _reason[c] = None;
                _held--;
            }
        }

        /// <summary>Takes the longest-held entry out of the ring (it goes back in if held again); -1 when empty.</summary>
        public int Next()
        {
            if (_count == 0)
            {
                return -1;
            }

            int c = _ring[_start];
            _start = (_start + 1) % _ring.Length;
            _count--;
            _inRing[c] = false;
            return c;
        }

        // ---- Stall clock ---------------------------------------------------------------------------

        /// <summary>The last time connection c took something (or started to be owed something).</summary>
        public long Progress(int c)
        {
            return _progress[c];
        }

        public void SetProgress(int c, long now)
        {
            _progress[c] = now;
        }

        public void MarkStalled(int c)
        {
            _stalled[c] = true;
        }

        public bool IsStalled(int c)
        {
            return _stalled[c];
        }

        /// <summary>A connection slot starts over (opened or closed).</summary>
        public void Reset(int c, long now)
        {
            Release(c);
            _progress[c] = now;
            _stalled[c] = false;
        }
    }
}
