using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// A read-only window on bytes the engine owns (a topic, a payload, a client id, a user name, a password),
    /// handed to the app's callbacks and hooks. It is valid only during the call that received it: the engine
    /// reuses the instance and the bytes behind it for the next packet. There is no way to reach the array
    /// itself; read by index, compare with <see cref="Is"/> / <see cref="StartsWith"/>, or copy the bytes out.
    /// One instance per role, allocated with the engine: nothing is allocated per message (on nanoCLR a struct
    /// view would be a heap block per call, docs/PLATFORM.md).
    /// </summary>
    public sealed class ByteView
    {
        private byte[] _data;
        private int _offset;
        private int _length;
        private bool _present;

        /// <summary>Bytes in the view.</summary>
        public int Length { get { return _length; } }

        /// <summary>False for a field the packet did not carry (no user name, no password).</summary>
        public bool Present { get { return _present; } }

        /// <summary>The byte at index (0 .. Length-1).</summary>
        public byte this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length)
                {
                    throw new System.IndexOutOfRangeException();
                }

                return _data[_offset + index];
            }
        }

        /// <summary>Copies the bytes to dst at offset; returns Length. dst must have the room.</summary>
        public int CopyTo(byte[] dst, int offset)
        {
            if (_length > 0)
            {
                System.Array.Copy(_data, _offset, dst, offset, _length);
            }

            return _length;
        }

        /// <summary>Whether the bytes are exactly text in UTF-8 (no allocation).</summary>
        public bool Is(string text)
        {
            return Compare(text, true);
        }

        /// <summary>Whether the bytes begin with text in UTF-8 (no allocation).</summary>
        public bool StartsWith(string text)
        {
            return Compare(text, false);
        }

        /// <summary>Whether the bytes equal other[offset .. offset+length).</summary>
        public bool Equals(byte[] other, int offset, int length)
        {
            return Utf8.Equals(_data, _offset, _length, other, offset, length);
        }

        /// <summary>The bytes decoded as UTF-8. Allocates a string: for logs and start-up, not per message.</summary>
        public override string ToString()
        {
            return _length == 0 ? string.Empty : Utf8.Decode(_data, _offset, _length);
        }

        internal void Set(byte[] data, int offset, int length)
        {
            _data = data;
            _offset = offset;
            _length = length;
            _present = true;
        }

        internal void SetAbsent()
        {
            _data = null;
            _offset = 0;
            _length = 0;
            _present = false;
        }

        /// <summary>
        /// Compares text's UTF-8 form with the bytes. An ASCII text is read through the indexer (safe on nanoCLR,
        /// nothing allocated); any other goes through one ToCharArray, because nanoCLR's indexer does not give both
        /// halves of a supplementary character (docs/PLATFORM.md): that costs one char array per call, so a handler
        /// that compares with non-ASCII text per message should keep its bytes and use Equals(byte[], ...) instead.
        /// </summary>
        private bool Compare(string text, bool whole)
        {
            if (Utf8.IsAscii(text))
            {
                return CompareAscii(text, whole);
            }

            return Compare(text.ToCharArray(), whole);
        }

        private bool CompareAscii(string text, bool whole)
        {
            int len = text.Length;
            if (len > _length || (whole && len != _length))
            {
                return false;
            }

            byte[] d = _data;
            int p = _offset;
            for (int i = 0; i < len; i++)
            {
                if (d[p + i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Encodes the UTF-16 units code point by code point (as Utf8.Encode does) and compares as it goes.</summary>
        private bool Compare(char[] text, bool whole)
        {
            int p = _offset;
            int end = _offset + _length;
            int len = text.Length;
            for (int i = 0; i < len; i++)
            {
                int c = text[i];
                int n;
                int cp = c;
                if (c < 0x80)
                {
                    n = 1;
                }
                else if (c < 0x800)
                {
                    n = 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    n = 4;
                }
                else
                {
                    cp = c >= 0xD800 && c <= 0xDFFF ? 0xFFFD : c;
                    n = 3;
                }

                if (end - p < n)
                {
                    return false;
                }

                byte[] d = _data;
                if (n == 1)
                {
                    if (d[p] != cp)
                    {
                        return false;
                    }
                }
                else if (n == 2)
                {
                    if (d[p] != (0xC0 | (cp >> 6)) || d[p + 1] != (0x80 | (cp & 0x3F)))
                    {
                        return false;
                    }
                }
                else if (n == 3)
                {
                    if (d[p] != (0xE0 | (cp >> 12)) || d[p + 1] != (0x80 | ((cp >> 6) & 0x3F)) || d[p + 2] != (0x80 | (cp & 0x3F)))
                    {
                        return false;
                    }
                }
                else if (d[p] != (0xF0 | (cp >> 18)) || d[p + 1] != (0x80 | ((cp >> 12) & 0x3F))
                    || d[p + 2] != (0x80 | ((cp >> 6) & 0x3F)) || d[p + 3] != (0x80 | (cp & 0x3F)))
                {
                    return false;
                }

                p += n;
            }

            return !whole || p == end;
        }
    }
}
