using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Byte plumbing shared by the codec tests (device-safe: no generics, no Encoding).</summary>
    internal static class Bytes
    {
        /// <summary>Hex digits to bytes; spaces are ignored so vectors can be grouped by field.</summary>
        public static byte[] Hex(string hex)
        {
            int digits = 0;
            for (int i = 0; i < hex.Length; i++)
            {
                if (hex[i] != ' ')
                {
                    digits++;
                }
            }

            byte[] result = new byte[digits / 2];
            int n = 0;
            int high = -1;
            for (int i = 0; i < hex.Length; i++)
            {
                char c = hex[i];
                if (c == ' ')
                {
                    continue;
                }

                int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    result[n++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }

            return result;
        }

        public static string ToHex(byte[] b, int off, int len)
        {
            const string digits = "0123456789abcdef";
            char[] chars = new char[len * 2];
            for (int i = 0; i < len; i++)
            {
                chars[2 * i] = digits[b[off + i] >> 4];
                chars[2 * i + 1] = digits[b[off + i] & 0x0F];
            }

            return new string(chars);
        }

        /// <summary>ASCII only, independent of the codec's own UTF-8 encoder.</summary>
        public static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }

            return b;
        }

        public static byte[] Filled(int length, byte value)
        {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++)
            {
                b[i] = value;
            }

            return b;
        }

        public static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            System.Array.Copy(a, r, a.Length);
            System.Array.Copy(b, 0, r, a.Length, b.Length);
            return r;
        }

        /// <summary>The bytes of a decoded field as hex, for comparing decoded fields with expectations.</summary>
        public static string Of(byte[] buffer, int offset, int length)
        {
            return ToHex(buffer, offset, length);
        }

        /// <summary>The bytes of a decoded field read as ASCII text.</summary>
        public static string Text(byte[] buffer, int offset, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            return new string(chars);
        }
    }
}
