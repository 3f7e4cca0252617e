namespace Device.Protocol
{
    /// <summary>
    /// UTF-8 under MQTT's rules (1.5.3), over bytes: the device mscorlib has no Encoding, and MQTT forbids
    /// more than RFC 3629 does (U+0000). Validation and comparison never allocate; Decode does and is meant
    /// for tools and logs only.
    /// </summary>
    public static class Utf8
    {
        /// <summary>
        /// Checks b[off..off+len) is well-formed (RFC 3629: no overlong forms, nothing above U+10FFFF, no
        /// truncated sequence), contains no U+0000 ([MQTT-1.5.3-2]) and no encoded surrogate ([MQTT-1.5.3-1]).
        /// </summary>
        public static DecodeResult Validate(byte[] b, int off, int len)
        {
            int i = off;
            int end = off + len;
            while (i < end)
            {
                int c = b[i];
                if (c < 0x80)
                {
                    if (c == 0)
                    {
                        return DecodeResult.Utf8NullCharacter;
                    }

                    i++;
                    continue;
                }

                DecodeResult error;
                int n = MultiByte(b, i, end, out error);
                if (n == 0)
                {
                    return error;
                }

                i += n;
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// Checks the multi-byte sequence whose lead byte (>= 0x80) is b[i]; returns its length (2..4), or 0 with
        /// the reason in error. Topic validation calls this too, so names and filters need a single pass.
        /// </summary>
        internal static int MultiByte(byte[] b, int i, int end, out DecodeResult error)
        {
            error = DecodeResult.InvalidUtf8;
            int c = b[i];

            // Lead bytes C0/C1 can only start overlong 2-byte forms; F5..FF would exceed U+10FFFF; 80..BF are not leads.
            if (c < 0xC2 || c > 0xF4)
            {
                return 0;
            }

            if (c < 0xE0)
            {
                return i + 1 < end && (b[i + 1] & 0xC0) == 0x80 ? 2 : 0;
            }

            if (c < 0xF0)
            {
                if (i + 2 >= end)
                {
                    return 0;
                }

                int c1 = b[i + 1];
                if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80)
                {
                    return 0;
                }

                // E0 80..9F would be an overlong form of U+0000..U+07FF.
                if (c == 0xE0 && c1 < 0xA0)
                {
                    return 0;
                }

                // ED A0..BF encodes U+D800..U+DFFF.
                if (c == 0xED && c1 >= 0xA0)
                {
                    error = DecodeResult.Utf8Surrogate;
                    return 0;
                }

                return 3;
            }

            if (i + 3 >= end)
            {
                return 0;
            }

            int d1 = b[i + 1];
            if ((d1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80 || (b[i + 3] & 0xC0) != 0x80)
            {
                return 0;
            }

            // F0 80..8F is overlong (below U+10000); F4 90..BF is above U+10FFFF.
            if ((c == 0xF0 && d1 < 0x90) || (c == 0xF4 && d1 >= 0x90))
            {
                return 0;
            }

            return 4;
        }

        /// <summary>
        /// Bytes Encode will write for s. A lone UTF-16 surrogate counts as U+FFFD (3 bytes). A string that is all ASCII
        /// (nearly every client id, user name and topic) is counted through the indexer, which reads ASCII right on
        /// nanoCLR too; any other string is read through <see cref="string.ToCharArray()"/>: nanoCLR keeps strings as
        /// UTF-8 and its indexer returns the high surrogate at both positions of a supplementary character, while
        /// ToCharArray converts the whole string in one pass and yields the real pair (docs/PLATFORM.md). That one
        /// char array is the only allocation, and only for non-ASCII text, which is encoded at start-up (users, ACL)
        /// and per CONNECT (the client), never per message.
        /// </summary>
        public static int ByteCount(string s)
        {
            if (IsAscii(s))
            {
                return s.Length;
            }

            char[] c = s.ToCharArray();
            return ByteCount(c, 0, c.Length);
        }

        /// <summary>
        /// Writes s as UTF-8 at dst[off]; returns the bytes written (ByteCount(s)). Lone surrogates become
        /// U+FFFD so the output is always valid UTF-8. U+0000 is written as is: MQTT validity is the caller's
        /// concern. The caller sizes dst with ByteCount. ASCII through the indexer, anything else through
        /// ToCharArray, like ByteCount (see there).
        /// </summary>
        public static int Encode(string s, byte[] dst, int off)
        {
            if (IsAscii(s))
            {
                return CopyAscii(s, dst, off);
            }

            char[] c = s.ToCharArray();
            return Encode(c, 0, c.Length, dst, off);
        }

        /// <summary>
        /// Every code unit below 0x80. Safe on nanoCLR: both positions of a supplementary character read as its high
        /// surrogate there, never as ASCII, so a string with one is never taken for ASCII.
        /// </summary>
        /// <summary>Whether every unit of s is below 0x80 (then indexing s is safe on nanoCLR too).</summary>
        public static bool IsAscii(string s)
        {
            int len = s.Length;
            for (int i = 0; i < len; i++)
            {
                if (s[i] >= 0x80)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>An all-ASCII string (IsAscii), one byte per unit.</summary>
        private static int CopyAscii(string s, byte[] dst, int off)
        {
            int len = s.Length;
            for (int i = 0; i < len; i++)
            {
                dst[off + i] = (byte)s[i];
            }

            return len;
        }

        /// <summary>Bytes Encode will write for UTF-16 code units c[off..off+len) (an array is UTF-16 on every runtime).</summary>
        public static int ByteCount(char[] s, int off, int len)
        {
            int n = 0;
            int end = off + len;
            for (int i = off; i < end; i++)
            {
                int c = s[i];
                if (c < 0x80)
                {
                    n += 1;
                }
                else if (c < 0x800)
                {
                    n += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < end && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
                {
                    n += 4;
                    i++;
                }
                else
                {
                    n += 3;
                }
            }

            return n;
        }

        /// <summary>Writes UTF-16 code units s[sOff..sOff+len) as UTF-8 at dst[off]; returns the bytes written.</summary>
        public static int Encode(char[] s, int sOff, int len, byte[] dst, int off)
        {
            int p = off;
            int end = sOff + len;
            for (int i = sOff; i < end; i++)
            {
                int c = s[i];
                if (c < 0x80)
                {
                    dst[p++] = (byte)c;
                    continue;
                }

                if (c < 0x800)
                {
                    dst[p++] = (byte)(0xC0 | (c >> 6));
                    dst[p++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }

                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    if (c <= 0xDBFF && i + 1 < end && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
                    {
                        int cp = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                        i++;
                        dst[p++] = (byte)(0xF0 | (cp >> 18));
                        dst[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                        dst[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                        dst[p++] = (byte)(0x80 | (cp & 0x3F));
                        continue;
                    }

                    c = 0xFFFD;
                }

                dst[p++] = (byte)(0xE0 | (c >> 12));
                dst[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                dst[p++] = (byte)(0x80 | (c & 0x3F));
            }

            return p - off;
        }

        /// <summary>
        /// Decodes b[off..off+len) to a string; ill-formed sequences become U+FFFD. Allocates: tools and logs only.
        /// </summary>
        public static string Decode(byte[] b, int off, int len)
        {
            // UTF-16 never needs more code units than UTF-8 has bytes.
            char[] chars = new char[len];
            int n = 0;
            int i = off;
            int end = off + len;
            while (i < end)
            {
                int c = b[i];
                int cp;
                int size;
                if (c < 0x80)
                {
                    cp = c;
                    size = 1;
                }
                else
                {
                    size = SequenceLength(b, i, end);
                    if (size == 0)
                    {
                        chars[n++] = (char)0xFFFD;
                        i++;
                        continue;
                    }

                    if (size == 2)
                    {
                        cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
                    }
                    else if (size == 3)
                    {
                        cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
                    }
                    else
                    {
                        cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
                    }
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i += size;
            }

            return new string(chars, 0, n);
        }

        /// <summary>Byte-wise equality of two ranges (UTF-8 has one encoding per string, so this is string equality).</summary>
        public static bool Equals(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen)
        {
            if (aLen != bLen)
            {
                return false;
            }

            for (int i = 0; i < aLen; i++)
            {
                if (a[aOff + i] != b[bOff + i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Length of the well-formed multi-byte sequence at b[i], or 0 when it is ill-formed.</summary>
        private static int SequenceLength(byte[] b, int i, int end)
        {
            DecodeResult error;
            return MultiByte(b, i, end, out error);
        }
    }
}
