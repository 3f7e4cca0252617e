using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The password table: user names and passwords as bytes in one arena. Passwords are compared in
    /// constant time so the answer's timing does not tell an attacker how many leading bytes were right.
    /// With no users configured, a user name is accepted without a password check (Mosquitto without a
    /// password_file); whether clients without a user name may connect is BrokerOptions.AllowAnonymous.
    /// </summary>
    public sealed class Users
    {
        public const int Accepted = 0;
        public const int UnknownUser = 1;
        public const int WrongPassword = 2;

        private readonly ByteArena _arena;
        private readonly short[] _name;
        private readonly short[] _password;
        private int _count;

        public Users(int maxUsers, int bytes)
        {
            _arena = new ByteArena(bytes, maxUsers * 2);
            _name = new short[maxUsers];
            _password = new short[maxUsers];
        }

        internal static void Measure(Footprint f, int maxUsers, int bytes)
        {
            f.Object(4);
            ByteArena.Measure(f, bytes, maxUsers * 2);
            f.Array(2, maxUsers);
            f.Array(2, maxUsers);
        }

        public int Count { get { return _count; } }

        /// <summary>
        /// A check kept outside this table: the PC's password file holds only salted hashes (Mosquitto's format),
        /// which this table of plain bytes cannot hold. Returns Accepted, UnknownUser or WrongPassword.
        /// </summary>
        public delegate int PasswordCheck(byte[] name, int nameOffset, int nameLength, bool hasPassword, byte[] password, int passwordOffset, int passwordLength);

        /// <summary>Whether the external store still has this user (asked after a reload, see BrokerEngine.ApplySecurity).</summary>
        public delegate bool UserLookup(byte[] name, int nameOffset, int nameLength);

        private PasswordCheck _external;
        private UserLookup _externalExists;

        /// <summary>Hands every password check to <paramref name="check"/> instead of the table (set-up time).</summary>
        public void UseExternalCheck(PasswordCheck check)
        {
            _external = check;
        }

        /// <summary>As <see cref="UseExternalCheck(PasswordCheck)"/>, with the lookup a reload uses to find users that are gone.</summary>
        public void UseExternalCheck(PasswordCheck check, UserLookup exists)
        {
            _external = check;
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

        /// <summary>Removes every user (a reload then adds the new ones).</summary>
        public void Clear()
        {
            for (int i = 0; i < _count; i++)
            {
                _arena.Free(_name[i]);
                _arena.Free(_password[i]);
            }

            _count = 0;
        }

        /// <summary>Whether passwords are checked at all: users in the table, or an external check.</summary>
        public bool Enabled { get { return _count > 0 || _external != null; } }

        /// <summary>Adds a user or changes an existing user's password (set-up time). False when the table is full.</summary>
        public bool Add(string name, string password)
        {
            int nameLength = Utf8.ByteCount(name);
            int passwordLength = Utf8.ByteCount(password);
            int h = _arena.Alloc(nameLength);
            if (h < 0)
            {
                return false;
            }

            Utf8.Encode(name, _arena.Data, _arena.Offset(h));
            int p = _arena.Alloc(passwordLength);
            if (p < 0)
            {
                _arena.Free(h);
                return false;
            }

            Utf8.Encode(password, _arena.Data, _arena.Offset(p));
            return Store(h, p);
        }

        /// <summary>Adds a user from bytes (set-up time). False when the table is full.</summary>
        public bool Add(byte[] name, int nameOffset, int nameLength, byte[] password, int passwordOffset, int passwordLength)
        {
            int h = _arena.Alloc(nameLength);
            if (h < 0)
            {
                return false;
            }

            System.Array.Copy(name, nameOffset, _arena.Data, _arena.Offset(h), nameLength);
            int p = _arena.Alloc(passwordLength);
            if (p < 0)
            {
                _arena.Free(h);
                return false;
            }

            System.Array.Copy(password, passwordOffset, _arena.Data, _arena.Offset(p), passwordLength);
            return Store(h, p);
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

        /// <summary>Accepted, UnknownUser or WrongPassword. A missing password never matches a stored one.</summary>
        public int Check(byte[] name, int nameOffset, int nameLength, bool hasPassword, byte[] password, int passwordOffset, int passwordLength)
        {
            if (_external != null)
            {
                return _external(name, nameOffset, nameLength, hasPassword, password, passwordOffset, passwordLength);
            }

            int i = Find(name, nameOffset, nameLength);
            if (i < 0)
            {
                return UnknownUser;
            }

            int p = _password[i];
            bool same = ConstantTime.Equals(_arena.Data, _arena.Offset(p), _arena.Length(p), password, passwordOffset, hasPassword ? passwordLength : 0);
            return same && hasPassword ? Accepted : WrongPassword;
        }

        private bool Store(int nameHandle, int passwordHandle)
        {
            int existing = Find(_arena.Data, _arena.Offset(nameHandle), _arena.Length(nameHandle));
            if (existing >= 0)
            {
                _arena.Free(_password[existing]);
                _arena.Free(nameHandle);
                _password[existing] = (short)passwordHandle;
                return true;
            }

            if (_count >= _name.Length)
            {
                _arena.Free(passwordHandle);
                _arena.Free(nameHandle);
                return false;
            }

            _name[_count] = (short)nameHandle;
            _password[_count] = (short)passwordHandle;
            _count++;
            return true;
        }
    }
}
