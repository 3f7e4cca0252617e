namespace Device.Broker
{
    /// <summary>
    /// PBKDF2-HMAC-SHA512 (RFC 8018) for one 64-byte block, which is what Mosquitto's "$7$" password hashes are
    /// (common/password_mosq.c: PKCS5_PBKDF2_HMAC with SHA-512, 64 bytes out). The HMAC key pads are hashed once
    /// per call, so each iteration costs two SHA-512 compressions. Nothing is allocated per call, and the buffers are
    /// few (the board's budget is tight): the keyed pads are built 64 bytes at a time in the U buffer, and a key
    /// longer than a block is hashed into the result buffer, which is only needed after the pads.
    /// </summary>
    public sealed class Pbkdf2Sha512
    {
        private readonly Sha512 _sha = new Sha512();
        private readonly ulong[] _inner = new ulong[8];
        private readonly ulong[] _outer = new ulong[8];
        private readonly byte[] _u = new byte[Sha512.HashLength];
        private readonly byte[] _result = new byte[Sha512.HashLength];
        private readonly byte[] _counter = new byte[] { 0, 0, 0, 1 };

        internal static void Measure(Footprint f)
        {
            f.Object(6);
            Sha512.Measure(f);
            f.Array(8, 8);
            f.Array(8, 8);
            f.Array(1, Sha512.HashLength);
            f.Array(1, Sha512.HashLength);
            f.Array(1, 4);
        }

        /// <summary>The plain SHA-512 engine, for Mosquitto 1.x's "$6$" form (SHA-512 over password then salt).</summary>
        public Sha512 Sha { get { return _sha; } }

        /// <summary>The 64 bytes the last <see cref="Derive"/> produced (valid until the next call).</summary>
        public byte[] Result { get { return _result; } }

        /// <summary>Computes PBKDF2(password, salt, iterations), 64 bytes, into <see cref="Result"/>.</summary>
        public void Derive(byte[] password, int passwordOffset, int passwordLength, byte[] salt, int saltOffset, int saltLength, int iterations)
        {
            Key(password, passwordOffset, passwordLength);

            // U1 = HMAC(P, S || INT(1)).
            _sha.LoadState(_inner, Sha512.BlockLength);
            _sha.Update(salt, saltOffset, saltLength);
            _sha.Update(_counter, 0, 4);
            _sha.Final(_u, 0);
            Outer();
            System.Array.Copy(_u, 0, _result, 0, Sha512.HashLength);

            // Ui = HMAC(P, Ui-1); T = U1 ^ U2 ^ ... ^ Uc.
            for (int i = 1; i < iterations; i++)
            {
                _sha.LoadState(_inner, Sha512.BlockLength);
                _sha.Update(_u, 0, Sha512.HashLength);
                _sha.Final(_u, 0);
                Outer();
                for (int j = 0; j < Sha512.HashLength; j++)
                {
                    _result[j] ^= _u[j];
                }
            }

            System.Array.Clear(_u, 0, _u.Length);
        }

        /// <summary>As the other overload, then copies the result to output[outputOffset..].</summary>
        public void Derive(byte[] password, int passwordOffset, int passwordLength, byte[] salt, int saltOffset, int saltLength,
            int iterations, byte[] output, int outputOffset)
        {
            Derive(password, passwordOffset, passwordLength, salt, saltOffset, saltLength, iterations);
            System.Array.Copy(_result, 0, output, outputOffset, Sha512.HashLength);
        }

        /// <summary>_u = H(K ^ opad || _u).</summary>
        private void Outer()
        {
            _sha.LoadState(_outer, Sha512.BlockLength);
            _sha.Update(_u, 0, Sha512.HashLength);
            _sha.Final(_u, 0);
        }

        /// <summary>Hashes the two keyed pads once and keeps their states (RFC 2104: a key longer than a block is hashed first).</summary>
        private void Key(byte[] password, int offset, int length)
        {
            byte[] key = password;
            int keyOffset = offset;
            int keyLength = length;
            if (length > Sha512.BlockLength)
            {
                _sha.Reset();
                _sha.Update(password, offset, length);
                _sha.Final(_result, 0);
                key = _result;
                keyOffset = 0;
                keyLength = Sha512.HashLength;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                byte mask = pass == 0 ? (byte)0x36 : (byte)0x5c;
                _sha.Reset();
                // The 128-byte pad in two halves of 64, built in _u.
                for (int half = 0; half < 2; half++)
                {
                    for (int i = 0; i < Sha512.HashLength; i++)
                    {
                        int k = half * Sha512.HashLength + i;
                        _u[i] = (byte)((k < keyLength ? key[keyOffset + k] : 0) ^ mask);
                    }

                    _sha.Update(_u, 0, Sha512.HashLength);
                }

                _sha.SaveState(pass == 0 ? _inner : _outer);
            }
        }
    }
}
