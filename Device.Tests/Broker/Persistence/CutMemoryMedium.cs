using Device.Broker;

namespace Device.Tests
{
    /// <summary>
    /// The board store's two segments in memory, with a power cut after a chosen number of write steps (Begin, each
    /// Write, End): from then on nothing reaches the segments, as on a board that lost power; a torn cut lets half of the
    /// cut Write through. <see cref="CopyFrom"/> takes another medium's bytes (the state before a second image).
    /// </summary>
    public sealed class CutMemoryMedium : IStoreMedium
    {
        public const int SegmentBytes = 16384;

        private readonly byte[] _data0 = new byte[SegmentBytes];
        private readonly byte[] _data1 = new byte[SegmentBytes];
        private readonly int[] _length = new int[2];

        /// <summary>Write steps allowed before the cut (-1: no cut).</summary>
        public int CutAfter = -1;
        public int Steps;

        /// <summary>The cut Write reaches the segment half-way (a torn page).</summary>
        public bool TearLastWrite;

        public void CopyFrom(CutMemoryMedium other)
        {
            System.Array.Copy(other._data0, _data0, SegmentBytes);
            System.Array.Copy(other._data1, _data1, SegmentBytes);
            _length[0] = other._length[0];
            _length[1] = other._length[1];
        }

        /// <summary>Flips one bit of a segment (damage on the flash).</summary>
        public void Flip(int segment, int offset)
        {
            Data(segment)[offset] ^= 0x10;
        }

        private byte[] Data(int segment)
        {
            return segment == 0 ? _data0 : _data1;
        }

        private bool Alive()
        {
            if (CutAfter >= 0 && Steps >= CutAfter)
            {
                return false;
            }

            Steps++;
            return true;
        }

        public int Length(int segment)
        {
            return _length[segment];
        }

        public int Read(int segment, int offset, byte[] buffer, int at, int count)
        {
            int n = _length[segment] - offset;
            if (n > count)
            {
                n = count;
            }

            if (n <= 0)
            {
                return 0;
            }

            System.Array.Copy(Data(segment), offset, buffer, at, n);
            return n;
        }

        public bool Begin(int segment)
        {
            if (!Alive())
            {
                return false;
            }

            _length[segment] = 0;
            return true;
        }

        public bool Write(int segment, byte[] buffer, int at, int count)
        {
            if (!Alive())
            {
                if (TearLastWrite && Steps == CutAfter)
                {
                    Append(segment, buffer, at, count / 2);
                    Steps++;
                }

                return false;
            }

            return Append(segment, buffer, at, count);
        }

        private bool Append(int segment, byte[] buffer, int at, int count)
        {
            if (_length[segment] + count > SegmentBytes)
            {
                // A full medium: refused, as a full drive refuses.
                return false;
            }

            System.Array.Copy(buffer, at, Data(segment), _length[segment], count);
            _length[segment] += count;
            return true;
        }

        public bool End(int segment)
        {
            return Alive();
        }
    }
}
