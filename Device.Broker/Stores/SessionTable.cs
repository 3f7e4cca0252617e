namespace Device.Broker
{
    /// <summary>
    /// Who a session belongs to: client id, user name (for the ACL), whether it survives its connection
    /// (CleanSession=0), and which connection holds it now (-1 while the client is away). The session's
    /// messages live in <see cref="Inflight"/>, <see cref="MessageQueue"/> and <see cref="IncomingQos2"/>,
    /// its subscriptions in <see cref="Subscriptions"/>, all indexed by the same session number.
    ///
    /// Finding a session by client id (every CONNECT, issue 10): with more than <see cref="ScanMax"/> sessions (the PC's
    /// 21,000) an open-addressing index over the session numbers, sized at start-up to a power of two at least twice the
    /// sessions (so it is never more than half full and a probe run stays short), linear probing, deletion by backward
    /// shift (no tombstones: churn leaves the table as a fresh one). Nothing is allocated per lookup. Scanning all
    /// 20,000 slots was 12 % of the PC broker's time while 10,000 clients connected. The board (16 sessions) keeps the
    /// scan: the index would cost it bytes its 48 KB budget does not have, and 16 length compares are cheap. Its budget
    /// pays for the two index references by keeping "used" and "persistent" in one state byte per session instead of
    /// two bool tables (one array and one field fewer: 48 B less, 24 B more, on the board).
    /// </summary>
    public sealed class SessionTable
    {
        private readonly int _idCapacity;
        private readonly int _userCapacity;
        // Free, Clean or Persistent per session.
        private readonly byte[] _state;
        private readonly short[] _connection;
        private readonly byte[] _ids;
        private readonly ushort[] _idLength;
        private readonly byte[] _users;
        private readonly short[] _userLength;
        private readonly short[] _free;
        private int _freeCount;
        private int _count;
        private int _persistentCount;

        // The client-id index (null with ScanMax sessions or fewer): session number + 1 per entry, 0 = empty.
        // Session numbers fit a short (BrokerOptions.MaxSlots), so the table costs 2 bytes an entry.
        private readonly short[] _index;

        // Each indexed session's id hash: compared before the id bytes, and what the backward shift needs to know
        // where an entry belongs without hashing its id again.
        private readonly int[] _hashOf;

        private const byte Free = 0;
        private const byte Clean = 1;
        private const byte Persistent = 2;

        /// <summary>Up to this many sessions Find scans them (the board); above it, the client-id index.</summary>
        public const int ScanMax = 32;

        public SessionTable(int sessions, int maxClientIdLength, int maxUsernameLength)
        {
            _idCapacity = maxClientIdLength;
            _userCapacity = maxUsernameLength;
            _state = new byte[sessions];
            _connection = new short[sessions];
            _ids = new byte[sessions * maxClientIdLength];
            _idLength = new ushort[sessions];
            _users = new byte[sessions * maxUsernameLength];
            _userLength = new short[sessions];
            _free = new short[sessions];
            for (int i = 0; i < sessions; i++)
            {
                _free[i] = (short)(sessions - 1 - i);
            }

            _freeCount = sessions;
            if (sessions > ScanMax)
            {
                _index = new short[IndexSize(sessions)];
                _hashOf = new int[sessions];
            }
        }

        /// <summary>The index's length: the power of two at least twice the sessions.</summary>
        internal static int IndexSize(int sessions)
        {
            int size = 64;
            while (size < 2 * sessions)
            {
                size <<= 1;
            }

            return size;
        }

        internal static void Measure(Footprint f, int sessions, int maxClientIdLength, int maxUsernameLength)
        {
            f.Object(14);
            f.Array(1, sessions);
            f.Array(2, sessions);
            f.Array(1, sessions * maxClientIdLength);
            f.Array(2, sessions);
            f.Array(1, sessions * maxUsernameLength);
            f.Array(2, sessions);
            f.Array(2, sessions);
            if (sessions > ScanMax)
            {
                f.Array(2, IndexSize(sessions));
                f.Array(4, sessions);
            }
        }

        public int Capacity { get { return _state.Length; } }

        public int Count { get { return _count; } }

        public int PersistentCount { get { return _persistentCount; } }

        public bool InUse(int s)
        {
            return _state[s] != Free;
        }

        /// <summary>The session with this client id, or -1.</summary>
        public int Find(byte[] id, int offset, int length)
        {
            if (_index == null)
            {
                for (int s = 0; s < _state.Length; s++)
                {
                    if (_state[s] != Free && _idLength[s] == length
                        && Device.Protocol.Utf8.Equals(_ids, s * _idCapacity, length, id, offset, length))
                    {
                        return s;
                    }
                }

                return -1;
            }

            int h = Hash(id, offset, length);
            int mask = _index.Length - 1;
            // Never full (at least twice the sessions), so the run ends at an empty entry.
            for (int i = h & mask; ; i = (i + 1) & mask)
            {
                int e = _index[i];
                if (e == 0)
                {
                    return -1;
                }

                int s = e - 1;
                if (_hashOf[s] == h && _idLength[s] == length
                    && Device.Protocol.Utf8.Equals(_ids, s * _idCapacity, length, id, offset, length))
                {
                    return s;
                }
            }
        }

        /// <summary>
        /// The client id's hash: a polynomial over its bytes, then MurmurHash3's finaliser so that ids differing only
        /// in their last characters ("sensor-0001", "sensor-0002") spread over the whole table. Ids built to collide
        /// (say of "Aa"/"BB" blocks) share one probe run: lookups stay correct and cost at worst the old scan.
        /// Public for the tests that build such ids.
        /// </summary>
        public static int Hash(byte[] id, int offset, int length)
        {
            int h = length;
            for (int i = 0; i < length; i++)
            {
                h = unchecked(h * 31 + id[offset + i]);
            }

            h ^= (int)((uint)h >> 16);
            h = unchecked(h * (int)0x85EBCA6B);
            h ^= (int)((uint)h >> 13);
            h = unchecked(h * (int)0xC2B2AE35);
            h ^= (int)((uint)h >> 16);
            return h;
        }

        /// <summary>Index entries in use (0 without an index): Count after any churn, for tests.</summary>
        public int Indexed
        {
            get
            {
                int n = 0;
                for (int i = 0; _index != null && i < _index.Length; i++)
                {
                    if (_index[i] != 0)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        private void AddToIndex(int s, int h)
        {
            _hashOf[s] = h;
            int mask = _index.Length - 1;
            int i = h & mask;
            while (_index[i] != 0)
            {
                i = (i + 1) & mask;
            }

            _index[i] = (short)(s + 1);
        }

        /// <summary>Removes s and moves later entries of its run back, so every entry stays reachable from its home.</summary>
        private void RemoveFromIndex(int s)
        {
            int mask = _index.Length - 1;
            int i = _hashOf[s] & mask;
            while (_index[i] != s + 1)
            {
                i = (i + 1) & mask;
            }

            int j = i;
            while (true)
            {
                j = (j + 1) & mask;
                int e = _index[j];
                if (e == 0)
                {
                    break;
                }

                // The entry at j may fill the hole at i only if its home is not in (i, j] (cyclically).
                int home = _hashOf[e - 1] & mask;
                bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
                if (!stays)
                {
                    _index[i] = (short)e;
                    i = j;
                }
            }

            _index[i] = 0;
        }

        /// <summary>A new offline session; -1 when the id is too long or no slot is left.</summary>
        public int Create(byte[] id, int offset, int length, bool persistent)
        {
            if (_freeCount == 0 || length > _idCapacity)
            {
                return -1;
            }

            int s = _free[--_freeCount];
            _state[s] = persistent ? Persistent : Clean;
            _connection[s] = -1;
            System.Array.Copy(id, offset, _ids, s * _idCapacity, length);
            _idLength[s] = (ushort)length;
            _userLength[s] = NoUser;
            _count++;
            if (persistent)
            {
                _persistentCount++;
            }

            if (_index != null)
            {
                AddToIndex(s, Hash(id, offset, length));
            }

            return s;
        }

        /// <summary>Forgets the session's identity; its messages and subscriptions are the caller's to clear first.</summary>
        public void Destroy(int s)
        {
            if (_index != null)
            {
                RemoveFromIndex(s);
            }

            _count--;
            if (_state[s] == Persistent)
            {
                _persistentCount--;
            }

            _state[s] = Free;
            _connection[s] = -1;
            _free[_freeCount++] = (short)s;
        }

        public bool IsPersistent(int s)
        {
            return _state[s] == Persistent;
        }

        /// <summary>The connection holding the session, or -1 while the client is away.</summary>
        public int Connection(int s)
        {
            return _connection[s];
        }

        public void SetConnection(int s, int connection)
        {
            _connection[s] = (short)connection;
        }

        public byte[] Ids { get { return _ids; } }

        public int IdOffset(int s)
        {
            return s * _idCapacity;
        }

        public int IdLength(int s)
        {
            return _idLength[s];
        }

        /// <summary>Records the user name of the connection that holds the session (false when it is too long).</summary>
        public bool SetUser(int s, byte[] name, int offset, int length)
        {
            if (length > _userCapacity)
            {
                return false;
            }

            System.Array.Copy(name, offset, _users, s * _userCapacity, length);
            _userLength[s] = (short)length;
            return true;
        }

        public void ClearUser(int s)
        {
            _userLength[s] = NoUser;
        }

        /// <summary>What the user-length slot holds when the session has no user name.</summary>
        public const short NoUser = -1;

        /// <summary>
        /// What it holds for the broker's own bridge (AcceptInternal): no user name, and exempt from acl_file, as
        /// Mosquitto's bridge contexts are (security_default.c). Kept in the session, not the connection, so that
        /// messages queued while the bridge's persistent session is offline pass the same check; a connection from
        /// a socket writes NoUser or a name here again (HandleConnect), so nobody else inherits it.
        /// </summary>
        public const short BridgeUser = -2;

        public void MarkBridge(int s)
        {
            _userLength[s] = BridgeUser;
        }

        /// <summary>The user name's length, or <see cref="NoUser"/> or <see cref="BridgeUser"/> (one read for Acl's check).</summary>
        public int UserState(int s)
        {
            return _userLength[s];
        }

        public bool IsBridge(int s)
        {
            return _userLength[s] == BridgeUser;
        }

        public bool HasUser(int s)
        {
            return _userLength[s] >= 0;
        }

        public byte[] Users { get { return _users; } }

        public int UserOffset(int s)
        {
            return s * _userCapacity;
        }

        public int UserLength(int s)
        {
            return _userLength[s] < 0 ? 0 : _userLength[s];
        }
    }
}
