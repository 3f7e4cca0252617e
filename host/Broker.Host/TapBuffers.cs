using System.Collections.Generic;
using System;
using Device.Protocol;

namespace Broker.Host
{
    /// <summary>
    /// What every <see cref="PacketTap"/> of the log shares: the fixed-header scratch a handler reads (handlers run
    /// one at a time, on the engine's thread) and the buffers a tap copies a packet it keeps into. A packet the log
    /// wants is usually whole within one read, so a handful of buffers serve thousands of connections; a tap holds
    /// one only between the first and the last byte of a packet it keeps, and gives it back then (issue 10: before,
    /// each of the 20,000 slots had two 256-byte buffers of its own from start-up).
    /// </summary>
    public sealed class TapBuffers
    {
        /// <summary>The size of a pooled buffer; a larger packet gets a buffer grown for it, not kept afterwards.</summary>
        public const int Size = 256;

        // Free buffers kept for reuse: more than this many packets half-kept at once is rare.
        private const int MaxFree = 64;

        private readonly Stack<byte[]> _free = new Stack<byte[]>();

        public readonly FixedHeader Header = new FixedHeader();

        /// <summary>Buffers handed out and not given back (for tests: back to 0 when no packet is half-kept).</summary>
        public int Out { get; private set; }

        /// <summary>Free buffers kept.</summary>
        public int Free { get { return _free.Count; } }

        public byte[] Rent(int bytes)
        {
            Out++;
            if (bytes <= Size && _free.Count > 0)
            {
                return _free.Pop();
            }

            return new byte[bytes <= Size ? Size : bytes];
        }

        /// <summary>A bigger buffer holding the first <paramref name="used"/> bytes of <paramref name="old"/> (which is given back).</summary>
        public byte[] Grow(byte[] old, int used, int needed)
        {
            byte[] b = new byte[Math.Max(old.Length * 2, needed)];
            Buffer.BlockCopy(old, 0, b, 0, used);
            if (old.Length == Size && _free.Count < MaxFree)
            {
                _free.Push(old);
            }

            return b;
        }

        public void Return(byte[] b)
        {
            Out--;
            if (b.Length == Size && _free.Count < MaxFree)
            {
                _free.Push(b);
            }
        }
    }
}
