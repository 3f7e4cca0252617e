using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The password table: user names with their passwords, plain (embedding code) or as Mosquitto's hashes
    /// ("$7$" PBKDF2-SHA512 and "$6$" salted SHA-512, read by <see cref="UsersFile"/>), all in one arena.
    /// Once a password file is configured (<see cref="Enable"/>, or any user added) only its users get in, even
    /// when it holds none, as in Mosquitto; without one, whether a client may connect is BrokerOptions.AllowAnonymous
    /// alone. A missing or zero-length password never matches (Mosquitto 2.0.11 refuses it too). Comparisons are
    /// constant-time, and an unknown user costs the same hash as a known one, so timing tells neither apart.
    /// </summary>
    public sealed class Users
    {
        private readonly ByteArena _arena;
        private readonly short[] _name;
        private readonly short[] _secret;
        private readonly short[] _salt;
        private readonly byte[] _kind;
        private readonly int[] _iterations;
        private int _count;
        private bool _enabled;

        // Allocated with the table, like every other buffer of the engine (a table of size 0 has none).
        private readonly Pbkdf2Sha512 _hasher;

        public Users(int maxUsers, int bytes)
        {
            _arena = new ByteArena(bytes, maxUsers * 3);
            _name = new short[maxUsers];
            _secret = new short[maxUsers];
            _salt = new short[maxUsers];
            _kind = new byte[maxUsers];
            _iterations = new int[maxUsers];
            if (maxUsers > 0)
            {
                _hasher = new Pbkdf2Sha512();
            }
        }

        internal static void Measure(Footprint f, int maxUsers, int bytes)
        {
            f.Object(11);
            ByteArena.Measure(f, bytes, maxUsers * 3);
            f.Array(2, maxUsers);
            f.Array(2, maxUsers);
            f.Array(2, maxUsers);
            f.Array(1, maxUsers);
            f.Array(4, maxUsers);
            if (maxUsers > 0)
            {
                Pbkdf2Sha512.Measure(f);
            }
        }

        public int Count { get { return _count; } }

        public int Capacity { get { return _name.Length; } }

        /// <summary>
        /// A check kept outside this table (the PC's password file, hashed with .NET's own PBKDF2). It is only
        /// asked about a user name with a non-empty password.
        /// </summary>
        public delegate AuthResult PasswordCheck(byte[] name, int nameOffset, int nameLength, byte[] password, int passwordOffset, int passwordLength);

        /// <summary>Whether the external store still has this user (asked after a reload, see BrokerEngine.ApplySecurity).</summary>
        public delegate bool UserLookup(byte[] name, int nameOffset, int nameLength);

        private PasswordCheck _external;

        private UserLookup _externalExists;

        /// <summary>Hands every password check to <paramref name="check"/> instead of the table (set-up time).</summary>
        public void UseExternalCheck(PasswordCheck check)
        {
            _external = check;
            _enabled = true;
        }

        /// <summary>As <see cref="UseExternalCheck(PasswordCheck)"/>, with the lookup a reload uses to find users that are gone.</summary>
        public void UseExternalCheck(PasswordCheck check, UserLookup exists)
        {
            UseExternalCheck(check);
            _externalExists = exists;
        }

        /// <summary>Whether the user is (still) known: in the table, or to the external check's lookup (true without one).</summary>
        public bool Exists(byte[] name, int offset, int length)
        {
            if (_external != null)
            {
                return _externalExists == null || _externalExists(name, offset, length);
            }

            return Find(name, offset, length) >= 0;
        }

        /// <summary>Removes every user (a reload then adds the new ones); the table stays enabled, as the file is still configured.</summary>
        public void Clear()
        {
            for (int i = 0; i < _count; i++)
            {
                Free(_name[i], _secret[i], _salt[i]);
            }

            _count = 0;
        }

        /// <summary>A password file is configured: only its users get in from now on, even while it holds none.</summary>
        public void Enable()
        {
            _enabled = true;
        }

        /// <summary>Whether user names are checked against passwords at all (a password file, users added, or an external check).</summary>
        public bool Enabled { get { return _enabled; } }

        /// <summary>Adds a user with a plain password, or changes an existing user's (set-up time). False when the table is full.</summary>
        public bool Add(string name, string password)
        {
            byte[] p = new byte[Utf8.ByteCount(password)];
            Utf8.Encode(password, p, 0);
            return Store(name, PasswordKind.Plain, 0, null, p);
        }

        /// <summary>Adds a user from bytes with a plain password (set-up time). False when the table is full.</summary>
        public bool Add(byte[] name, int nameOffset, int nameLength, byte[] password, int passwordOffset, int passwordLength)
        {
            string n = Utf8.Decode(name, nameOffset, nameLength);
            byte[] p = new byte[passwordLength];
            System.Array.Copy(password, passwordOffset, p, 0, passwordLength);
            return Store(n, PasswordKind.Plain, 0, null, p);
        }

        /// <summary>
        /// Adds a user with one of Mosquitto's hashes (set-up time): <paramref name="hash"/> is the 64-byte digest,
        /// <paramref name="iterations"/> matters for PBKDF2 only. False when the table or its bytes are full.
        /// </summary>
        public bool AddHashed(string name, PasswordKind kind, int iterations, byte[] salt, byte[] hash)
        {
            if (kind == PasswordKind.Plain || hash == null || hash.Length != Sha512.HashLength || salt == null
                || (kind == PasswordKind.Pbkdf2Sha512 && iterations < 1) || _hasher == null)
            {
                return false;
            }

            return Store(name, kind, iterations, salt, hash);
        }

        /// <summary>Index of the user with this name, or -1.</summary>
        public int Find(byte[] name, int offset, int length)
        {
            for (int i = 0; i < _count; i++)
            {
                int h = _name[i];
                if (_arena.Length(h) == length && Utf8.Equals(_arena.Data, _arena.Offset(h), length, name, offset, length))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Accepted, UnknownUser or WrongPassword. A missing or empty password never matches.</summary>
        public AuthResult Check(byte[] name, int nameOffset, int nameLength, bool hasPassword, byte[] password, int passwordOffset, int passwordLength)
        {
            if (!hasPassword || passwordLength == 0)
            {
                return AuthResult.WrongPassword;
            }

            if (_external != null)
            {
                return _external(name, nameOffset, nameLength, password, passwordOffset, passwordLength);
            }

            int i = Find(name, nameOffset, nameLength);
            if (i < 0)
            {
                // The same work as for a real user, so the answer's timing does not tell that the name is unknown.
                if (_count > 0)
                {
                    Matches(0, password, passwordOffset, passwordLength);
                }

                return AuthResult.UnknownUser;
            }

            return Matches(i, password, passwordOffset, passwordLength) ? AuthResult.Accepted : AuthResult.WrongPassword;
        }

        private bool Matches(int i, byte[] password, int passwordOffset, int passwordLength)
        {
            int secret = _secret[i];
            PasswordKind kind = (PasswordKind)_kind[i];
            if (kind == PasswordKind.Plain)
            {
                return ConstantTime.Equals(_arena.Data, _arena.Offset(secret), _arena.Length(secret), password, passwordOffset, passwordLength);
            }

            int salt = _salt[i];
            byte[] digest = _hasher.Result;
            if (kind == PasswordKind.Pbkdf2Sha512)
            {
                _hasher.Derive(password, passwordOffset, passwordLength, _arena.Data, _arena.Offset(salt), _arena.Length(salt), _iterations[i]);
            }
            else
            {
                Sha512 sha = _hasher.Sha;
                sha.Reset();
                sha.Update(password, passwordOffset, passwordLength);
                sha.Update(_arena.Data, _arena.Offset(salt), _arena.Length(salt));
                sha.Final(digest, 0);
            }

            bool same = ConstantTime.Equals(_arena.Data, _arena.Offset(secret), _arena.Length(secret), digest, 0, Sha512.HashLength);
            System.Array.Clear(digest, 0, digest.Length);
            return same;
        }

        private bool Store(string name, PasswordKind kind, int iterations, byte[] salt, byte[] secret)
        {
            _enabled = true;
            int nameLength = Utf8.ByteCount(name);
            int h = _arena.Alloc(nameLength);
            if (h < 0)
            {
                return false;
            }

            Utf8.Encode(name, _arena.Data, _arena.Offset(h));
            int s = _arena.Alloc(secret.Length);
            int t = salt == null ? -1 : _arena.Alloc(salt.Length);
            if (s < 0 || (salt != null && t < 0))
            {
                Free(h, s, t);
                return false;
            }

            System.Array.Copy(secret, 0, _arena.Data, _arena.Offset(s), secret.Length);
            if (salt != null)
            {
                System.Array.Copy(salt, 0, _arena.Data, _arena.Offset(t), salt.Length);
            }

            int existing = Find(_arena.Data, _arena.Offset(h), nameLength);
            if (existing >= 0)
            {
                Free(-1, _secret[existing], _salt[existing]);
                _arena.Free(h);
                Set(existing, _name[existing], s, t, kind, iterations);
                return true;
            }

            if (_count >= _name.Length)
            {
                Free(h, s, t);
                return false;
            }

            Set(_count, h, s, t, kind, iterations);
            _count++;
            return true;
        }

        private void Set(int i, int name, int secret, int salt, PasswordKind kind, int iterations)
        {
            _name[i] = (short)name;
            _secret[i] = (short)secret;
            _salt[i] = (short)salt;
            _kind[i] = (byte)kind;
            _iterations[i] = iterations;
        }

        private void Free(int a, int b, int c)
        {
            if (a >= 0)
            {
                _arena.Free(a);
            }

            if (b >= 0)
            {
                _arena.Free(b);
            }

            if (c >= 0)
            {
                _arena.Free(c);
            }
        }
    }
}
