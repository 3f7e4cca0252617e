using System;

namespace Fuzz.Shared
{
    /// <summary>
    /// Deterministic, allocation-free mutations of valid packets: the same seed gives the same inputs on every
    /// machine, and since nothing is allocated per input, any allocation measured around a fuzz loop is the
    /// code under test's, not the fuzzer's.
    /// </summary>
    public sealed class Mutator
    {
        /// <summary>Bytes that sit on decision boundaries: varint continuation, UTF-8 leads, wildcards, QoS bits.</summary>
        private static readonly byte[] Interesting =
        {
            0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x7F, 0x80, 0x81, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
            (byte)'+', (byte)'#', (byte)'/', (byte)'$', 0x30, 0x32, 0x3B, 0x3F, 0x62, 0xE2,
        };

        private readonly Random rng;
        private readonly byte[][] seeds;

        public Mutator(int seed, byte[][] seeds)
        {
            rng = new Random(seed);
            this.seeds = seeds;
        }

        /// <summary>Counts of each mutation applied, for the report.</summary>
        public readonly long[] Applied = new long[Kinds];

        public const int Kinds = 10;

        public static readonly string[] KindNames =
        {
            "bit flip", "interesting byte", "insert", "delete", "remaining-length tweak", "field-length tweak",
            "splice", "truncate", "append packet", "random overwrite",
        };

        public Random Random { get { return rng; } }

        /// <summary>Writes one mutated input into dst and returns its length (at most dst.Length).</summary>
        public int Next(byte[] dst)
        {
            byte[] seed = seeds[rng.Next(seeds.Length)];
            int len = Math.Min(seed.Length, dst.Length);
            Array.Copy(seed, dst, len);
            int rounds = 1 + rng.Next(4);
            for (int i = 0; i < rounds; i++)
            {
                len = MutateOnce(dst, len);
            }

            return len;
        }

        private int MutateOnce(byte[] b, int len)
        {
            int kind = rng.Next(Kinds);
            Applied[kind]++;
            switch (kind)
            {
                case 0:
                    if (len > 0)
                    {
                        b[rng.Next(len)] ^= (byte)(1 << rng.Next(8));
                    }

                    return len;
                case 1:
                    if (len > 0)
                    {
                        b[rng.Next(len)] = Interesting[rng.Next(Interesting.Length)];
                    }

                    return len;
                case 2:
                    return Insert(b, len);
                case 3:
                    return Delete(b, len);
                case 4:
                    return TweakRemainingLength(b, len);
                case 5:
                    TweakFieldLength(b, len);
                    return len;
                case 6:
                    return Splice(b, len);
                case 7:
                    return len == 0 ? 0 : rng.Next(len);
                case 8:
                    return Append(b, len);
                default:
                    if (len > 0)
                    {
                        int at = rng.Next(len);
                        int n = Math.Min(len - at, 1 + rng.Next(8));
                        for (int i = 0; i < n; i++)
                        {
                            b[at + i] = (byte)rng.Next(256);
                        }
                    }

                    return len;
            }
        }

        private int Insert(byte[] b, int len)
        {
            int n = Math.Min(1 + rng.Next(8), b.Length - len);
            if (n <= 0)
            {
                return len;
            }

            int at = rng.Next(len + 1);
            Array.Copy(b, at, b, at + n, len - at);
            for (int i = 0; i < n; i++)
            {
                b[at + i] = rng.Next(2) == 0 ? Interesting[rng.Next(Interesting.Length)] : (byte)rng.Next(256);
            }

            return len + n;
        }

        private int Delete(byte[] b, int len)
        {
            if (len == 0)
            {
                return 0;
            }

            int at = rng.Next(len);
            int n = Math.Min(len - at, 1 + rng.Next(8));
            Array.Copy(b, at + n, b, at, len - at - n);
            return len - n;
        }

        /// <summary>
        /// Rewrites the first packet's remaining length: off by a little, huge, non-minimal or five bytes long,
        /// so framing sees lengths that disagree with the bytes that follow.
        /// </summary>
        private int TweakRemainingLength(byte[] b, int len)
        {
            if (len < 2)
            {
                return len;
            }

            int old = 1;
            int value = 0;
            int mul = 1;
            while (old < len && old < 5)
            {
                value += (b[old] & 0x7F) * mul;
                mul <<= 7;
                if ((b[old++] & 0x80) == 0)
                {
                    break;
                }
            }

            int oldSize = old - 1;
            Span<byte> enc = stackalloc byte[5];
            int encLen;
            switch (rng.Next(5))
            {
                case 0:
                    encLen = Varint(enc, Math.Max(0, value + rng.Next(-3, 4)));
                    break;
                case 1:
                    encLen = Varint(enc, rng.Next(2) == 0 ? 268435455 : rng.Next(1 << 21));
                    break;
                case 2:
                    // Same value, one byte longer than needed (0x80 continuation then 0x00).
                    encLen = Varint(enc, value);
                    if (encLen < 4)
                    {
                        enc[encLen - 1] |= 0x80;
                        enc[encLen++] = 0;
                    }

                    break;
                case 3:
                    enc[0] = 0xFF;
                    enc[1] = 0xFF;
                    enc[2] = 0xFF;
                    enc[3] = 0xFF;
                    enc[4] = 0x7F;
                    encLen = 5;
                    break;
                default:
                    encLen = Varint(enc, 0);
                    break;
            }

            int newLen = len - oldSize + encLen;
            if (newLen > b.Length)
            {
                return len;
            }

            Array.Copy(b, 1 + oldSize, b, 1 + encLen, len - 1 - oldSize);
            for (int i = 0; i < encLen; i++)
            {
                b[1 + i] = enc[i];
            }

            return newLen;
        }

        /// <summary>Changes a two-byte big-endian length or packet id somewhere in the body.</summary>
        private void TweakFieldLength(byte[] b, int len)
        {
            if (len < 4)
            {
                return;
            }

            int at = 2 + rng.Next(len - 3);
            int value = (b[at] << 8) | b[at + 1];
            switch (rng.Next(4))
            {
                case 0:
                    value += rng.Next(-2, 3);
                    break;
                case 1:
                    value = 0;
                    break;
                case 2:
                    value = 0xFFFF;
                    break;
                default:
                    value += rng.Next(2) == 0 ? 128 : -128;
                    break;
            }

            b[at] = (byte)(value >> 8);
            b[at + 1] = (byte)value;
        }

        private int Splice(byte[] b, int len)
        {
            byte[] other = seeds[rng.Next(seeds.Length)];
            int cut = rng.Next(len + 1);
            int from = rng.Next(other.Length + 1);
            int n = Math.Min(other.Length - from, b.Length - cut);
            Array.Copy(other, from, b, cut, n);
            return cut + n;
        }

        private int Append(byte[] b, int len)
        {
            byte[] other = seeds[rng.Next(seeds.Length)];
            int n = Math.Min(other.Length, b.Length - len);
            Array.Copy(other, 0, b, len, n);
            return len + n;
        }

        private static int Varint(Span<byte> dst, int value)
        {
            int i = 0;
            do
            {
                int digit = value & 0x7F;
                value >>= 7;
                if (value > 0)
                {
                    digit |= 0x80;
                }

                dst[i++] = (byte)digit;
            }
            while (value > 0 && i < 4);

            return i;
        }
    }
}
