using System;

namespace Broker.Host
{
    /// <summary>
    /// One log line put together in a reused buffer, for the lines written for every connection ("New connection
    /// from ...", "New client connected from ..."): made with concatenated strings they were about 1 KB of garbage
    /// per connection, which the GC's young generation turned into resident memory (issue 10). Engine thread only.
    /// </summary>
    public sealed class LineText
    {
        private char[] _chars = new char[256];
        private int _length;

        public ReadOnlySpan<char> Span { get { return new ReadOnlySpan<char>(_chars, 0, _length); } }

        public LineText Clear()
        {
            _length = 0;
            return this;
        }

        public LineText Append(string s)
        {
            Room(s.Length);
            s.CopyTo(0, _chars, _length, s.Length);
            _length += s.Length;
            return this;
        }

        public LineText Append(long n)
        {
            Room(20);
            n.TryFormat(new Span<char>(_chars, _length, _chars.Length - _length), out int digits);
            _length += digits;
            return this;
        }

        public LineText Append(char c)
        {
            Room(1);
            _chars[_length++] = c;
            return this;
        }

        /// <summary>"a.b.c.d:port" from an address in network order as IPAddress.Address has it (first octet lowest).</summary>
        public LineText AppendIPv4(long address, int port)
        {
            for (int i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    Append('.');
                }

                Append((address >> (8 * i)) & 0xFF);
            }

            return Append(':').Append(port);
        }

        private void Room(int more)
        {
            if (_length + more > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + more));
            }
        }
    }
}
