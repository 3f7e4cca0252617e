using System;

namespace Host.Tests
{
    /// <summary>
    /// Bytes allocated over two measured halves of a loop (from <c>start</c> to <c>middle</c>, then to the end):
    /// a cost per message or cycle shows in both, a one-off first-use allocation that a loaded machine pushes past
    /// the warm-up shows in one only. <see cref="Quieter"/> is the figure the tests hold to 0.
    /// </summary>
    public sealed class FloodHalves
    {
        private readonly int _start;
        private readonly int _middle;
        private long _before;
        private long _first = long.MaxValue;
        private bool _started;
        private bool _split;

        public FloodHalves(int start, int middle)
        {
            _start = start;
            _middle = middle;
        }

        /// <summary>
        /// Call at the top of each round with a count that only grows (the round index, or messages done so far);
        /// returns true once, when it first reaches the start (where callers take their own snapshot).
        /// </summary>
        public bool At(int i)
        {
            if (!_started && i >= _start)
            {
                _started = true;
                _before = GC.GetAllocatedBytesForCurrentThread();
                return true;
            }

            if (_started && !_split && i >= _middle)
            {
                _split = true;
                _first = GC.GetAllocatedBytesForCurrentThread() - _before;
                _before = GC.GetAllocatedBytesForCurrentThread();
            }

            return false;
        }

        /// <summary>After the loop: the smaller of the two halves.</summary>
        public long Quieter()
        {
            return Math.Min(_first, GC.GetAllocatedBytesForCurrentThread() - _before);
        }
    }
}
