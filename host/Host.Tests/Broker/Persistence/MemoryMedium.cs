using System;
using System.IO;
using System.Reflection;
using Device.Broker;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>Two preallocated segments in memory: a medium that allocates nothing, for the allocation test.</summary>
    internal sealed class MemoryMedium : IStoreMedium
    {
        private readonly byte[][] _data = { new byte[65536], new byte[65536] };
        private readonly int[] _length = new int[2];

        public int Length(int segment)
        {
            return _length[segment];
        }

        public int Read(int segment, int offset, byte[] buffer, int at, int count)
        {
            int n = Math.Min(count, _length[segment] - offset);
            Array.Copy(_data[segment], offset, buffer, at, n);
            return n;
        }

        public bool Begin(int segment)
        {
            _length[segment] = 0;
            return true;
        }

        public bool Write(int segment, byte[] buffer, int at, int count)
        {
            Array.Copy(buffer, at, _data[segment], _length[segment], count);
            _length[segment] += count;
            return true;
        }

        public bool End(int segment)
        {
            return true;
        }
    }
}
