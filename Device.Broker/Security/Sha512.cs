namespace Device.Broker
{
    /// <summary>
    /// SHA-512 (FIPS 180-4) over bytes, for checking Mosquitto's password hashes on the board: nanoFramework's
    /// mscorlib 1.17.11 has no System.Security.Cryptography and no hash at all. Every buffer is allocated in the
    /// constructor, so hashing allocates nothing. The state can be saved and restored (<see cref="SaveState"/>,
    /// <see cref="LoadState"/>), which is how HMAC keeps its keyed inner and outer starts (see <see cref="Pbkdf2Sha512"/>).
    /// </summary>
    public sealed class Sha512
    {
        public const int HashLength = 64;
        public const int BlockLength = 128;

        private static readonly ulong[] K =
        {
            0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
            0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
            0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
            0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
            0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
            0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
            0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
            0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
            0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
            0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
            0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
            0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
            0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
            0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
            0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
            0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
        };

        private readonly ulong[] _h = new ulong[8];
        // The message schedule as a rolling window of 16 words (FIPS 180-4 6.4.2 computed in place): 128 bytes, not 640.
        private readonly ulong[] _w = new ulong[16];
        private readonly byte[] _block = new byte[BlockLength];
        private int _fill;
        private long _total;

        internal static void Measure(Footprint f)
        {
            f.Object(5);
            f.Array(8, 8);
            f.Array(8, 16);
            f.Array(1, BlockLength);
        }

        public void Reset()
        {
            _h[0] = 0x6a09e667f3bcc908;
            _h[1] = 0xbb67ae8584caa73b;
            _h[2] = 0x3c6ef372fe94f82b;
            _h[3] = 0xa54ff53a5f1d36f1;
            _h[4] = 0x510e527fade682d1;
            _h[5] = 0x9b05688c2b3e6c1f;
            _h[6] = 0x1f83d9abfb41bd6b;
            _h[7] = 0x5be0cd19137e2179;
            _fill = 0;
            _total = 0;
        }

        public void Update(byte[] data, int offset, int length)
        {
            _total += length;
            while (length > 0)
            {
                int take = BlockLength - _fill;
                if (take > length)
                {
                    take = length;
                }

                System.Array.Copy(data, offset, _block, _fill, take);
                _fill += take;
                offset += take;
                length -= take;
                if (_fill == BlockLength)
                {
                    Compress();
                    _fill = 0;
                }
            }
        }

        /// <summary>Pads, writes the 64-byte digest to output[offset..] and leaves the state spent (Reset or LoadState next).</summary>
        public void Final(byte[] output, int offset)
        {
            long bits = _total * 8;
            _block[_fill++] = 0x80;
            if (_fill > BlockLength - 16)
            {
                Clear(_fill, BlockLength);
                Compress();
                _fill = 0;
            }

            Clear(_fill, BlockLength - 8);
            for (int i = 0; i < 8; i++)
            {
                _block[BlockLength - 1 - i] = (byte)(bits >> (8 * i));
            }

            Compress();
            for (int i = 0; i < 8; i++)
            {
                ulong v = _h[i];
                for (int j = 0; j < 8; j++)
                {
                    output[offset + i * 8 + j] = (byte)(v >> (56 - 8 * j));
                }
            }
        }

        /// <summary>Copies the chaining state (8 words) out; only valid right after whole blocks were hashed.</summary>
        public void SaveState(ulong[] state)
        {
            System.Array.Copy(_h, state, 8);
        }

        /// <summary>Continues from a saved state as if <paramref name="hashedBytes"/> bytes had been hashed.</summary>
        public void LoadState(ulong[] state, long hashedBytes)
        {
            System.Array.Copy(state, _h, 8);
            _fill = 0;
            _total = hashedBytes;
        }

        private void Clear(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                _block[i] = 0;
            }
        }

        private void Compress()
        {
            ulong[] w = _w;
            byte[] b = _block;
            for (int i = 0; i < 16; i++)
            {
                int p = i * 8;
                w[i] = ((ulong)b[p] << 56) | ((ulong)b[p + 1] << 48) | ((ulong)b[p + 2] << 40) | ((ulong)b[p + 3] << 32)
                    | ((ulong)b[p + 4] << 24) | ((ulong)b[p + 5] << 16) | ((ulong)b[p + 6] << 8) | b[p + 7];
            }

            ulong a = _h[0];
            ulong bb = _h[1];
            ulong c = _h[2];
            ulong d = _h[3];
            ulong e = _h[4];
            ulong f = _h[5];
            ulong g = _h[6];
            ulong h = _h[7];
            for (int i = 0; i < 80; i++)
            {
                if (i >= 16)
                {
                    // W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16], kept in slot i mod 16.
                    ulong x = w[(i - 15) & 15];
                    ulong y = w[(i - 2) & 15];
                    ulong s0 = ((x >> 1) | (x << 63)) ^ ((x >> 8) | (x << 56)) ^ (x >> 7);
                    ulong s1 = ((y >> 19) | (y << 45)) ^ ((y >> 61) | (y << 3)) ^ (y >> 6);
                    w[i & 15] = w[i & 15] + s0 + w[(i - 7) & 15] + s1;
                }

                ulong t1 = h + (((e >> 14) | (e << 50)) ^ ((e >> 18) | (e << 46)) ^ ((e >> 41) | (e << 23)))
                    + ((e & f) ^ (~e & g)) + K[i] + w[i & 15];
                ulong t2 = (((a >> 28) | (a << 36)) ^ ((a >> 34) | (a << 30)) ^ ((a >> 39) | (a << 25)))
                    + ((a & bb) ^ (a & c) ^ (bb & c));
                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = bb;
                bb = a;
                a = t1 + t2;
            }

            _h[0] += a;
            _h[1] += bb;
            _h[2] += c;
            _h[3] += d;
            _h[4] += e;
            _h[5] += f;
            _h[6] += g;
            _h[7] += h;
        }
    }
}
