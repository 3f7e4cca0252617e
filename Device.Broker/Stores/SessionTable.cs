namespace Device.Broker
{
    /// <summary>
    /// Who a session belongs to: client id, user name (for the ACL), whether it survives its connection
    /// (CleanSession=0), and which connection holds it now (-1 while the client is away). The session's
    /// messages live in <see cref="Inflight"/>, <see cref="MessageQueue"/> and <see cref="IncomingQos2"/>,
    /// its subscriptions in <see cref="Subscriptions"/>, all indexed by the same session number.
    /// </summary>
    public sealed class SessionTable
    {
        private readonly int _idCapacity;
        private readonly int _userCapacity;
        private readonly bool[] _used;
        private readonly bool[] _persistent;
        private readonly short[] _connection;
        private readonly byte[] _ids;
        private readonly ushort[] _idLength;
        private readonly byte[] _users;
        private readonly short[] _userLength;
        private readonly short[] _free;
        private int _freeCount;
        private int _count;
        private int _persistentCount;

        public SessionTable(int sessions, int maxClientIdLength, int maxUsernameLength)
        {
            _idCapacity = maxClientIdLength;
            _userCapacity = maxUsernameLength;
            _used = new bool[sessions];
            _persistent = new bool[sessions];
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
        }

        internal static void Measure(Footprint f, int sessions, int maxClientIdLength, int maxUsernameLength)
        {
            f.Object(13);
            f.Array(1, sessions);
            f.Array(1, sessions);
            f.Array(2, sessions);
            f.Array(1, sessions * maxClientIdLength);
            f.Array(2, sessions);
            f.Array(1, sessions * maxUsernameLength);
            f.Array(2, sessions);
            f.Array(2, sessions);
        }

        public int Capacity { get { return _used.Length; } }

        public int Count { get { return _count; } }

        public int PersistentCount { get { return _persistentCount; } }

        public bool InUse(int s)
        {
            return _used[s];
        }

        /// <summary>The session with this client id, or -1.</summary>
        public int Find(byte[] id, int offset, int length)
        {
            for (int s = 0; s < _used.Length; s++)
            {
                if (_used[s] && _idLength[s] == length
                    && Device.Protocol.Utf8.Equals(_ids, s * _idCapacity, length, id, offset, length))
                {
                    return s;
                }
            }

            return -1;
        }

        /// <summary>A new offline session; -1 when the id is too long or no slot is left.</summary>
        public int Create(byte[] id, int offset, int length, bool persistent)
        {
            if (_freeCount == 0 || length > _idCapacity)
            {
                return -1;
            }

            int s = _free[--_freeCount];
            _used[s] = true;
            _persistent[s] = persistent;
            _connection[s] = -1;
            System.Array.Copy(id, offset, _ids, s * _idCapacity, length);
            _idLength[s] = (ushort)length;
            _userLength[s] = NoUser;
            _count++;
            if (persistent)
            {
                _persistentCount++;
            }

            return s;
        }

        /// <summary>Forgets the session's identity; its messages and subscriptions are the caller's to clear first.</summary>
        public void Destroy(int s)
        {
            _used[s] = false;
            _count--;
            if (_persistent[s])
            {
                _persistentCount--;
            }

            _persistent[s] = false;
            _connection[s] = -1;
            _free[_freeCount++] = (short)s;
        }

        public bool IsPersistent(int s)
        {
            return _persistent[s];
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
