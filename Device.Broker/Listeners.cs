using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Security per listener (Mosquitto's per_listener_settings) and what a reload of it does to clients already
    /// connected. Each listener has its own Users, Acl and anonymous setting; a connection is checked against the
    /// listener it came in on, a session against the listener it last connected through (so an offline session's
    /// queue is still checked against its own rules).
    ///
    /// A reload (Mosquitto's SIGHUP) replaces users and rules between two transport calls, on the engine thread; then
    /// <see cref="ApplySecurity"/> does what Mosquitto's mosquitto_security_apply does: clients whose user is gone, or
    /// anonymous clients where anonymous access is now off, are disconnected, and messages waiting in a session's
    /// queue for a topic it may no longer read are removed (counted in RevokedQueued). Live deliveries need nothing
    /// more: every message is checked against the receiver's read rules as it is routed.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        public int ListenerCount { get { return _usersOf.Length; } }

        /// <summary>The password table of listener l (0 when there are no per-listener settings).</summary>
        public Users UsersOf(int listener)
        {
            return _usersOf[listener];
        }

        public Acl AclOf(int listener)
        {
            return _aclOf[listener];
        }

        /// <summary>Whether clients without a user name may connect through listener l (BrokerOptions.AllowAnonymous for all at start).</summary>
        public void SetAllowAnonymous(int listener, bool allow)
        {
            _anonymousOf[listener] = allow;
        }

        public bool AllowsAnonymous(int listener)
        {
            return _anonymousOf[listener];
        }

        /// <summary>
        /// Which listener a new connection came in on: the transport calls this after Accept and before the first
        /// Received. Values beyond ListenerCount share listener 0's security (one set for all).
        /// </summary>
        public void SetListener(int connection, int listener)
        {
            if (_connectionListener != null && _connections.IsValid(connection))
            {
                _connectionListener[connection] = (byte)(listener < _usersOf.Length ? listener : 0);
            }
        }

        public int ListenerOf(int connection)
        {
            return _connectionListener == null ? 0 : _connectionListener[connection];
        }

        private Acl SessionAcl(int s)
        {
            return _sessionListener == null ? _aclOf[0] : _aclOf[_sessionListener[s]];
        }

        /// <summary>
        /// After users or rules changed: disconnects the clients that would no longer be let in and removes queued
        /// messages sessions may no longer read. Returns the number of connections closed.
        /// </summary>
        public int ApplySecurity()
        {
            int closed = 0;
            for (int c = 0; c < _connections.Count; c++)
            {
                if (_connections.State(c) != Connections.Connected)
                {
                    continue;
                }

                int s = _connections.Session(c);
                int l = ListenerOf(c);
                // The broker's own bridge was never checked against the password table (HandleConnect): nor is it here.
                bool allowed = _sessions.IsBridge(s) || (_sessions.HasUser(s)
                    ? !_usersOf[l].Enabled || _usersOf[l].Exists(_sessions.Users, _sessions.UserOffset(s), _sessions.UserLength(s))
                    : _anonymousOf[l]);
                if (!allowed)
                {
                    _counters.AccessRevoked++;
                    Close(c, CloseReason.AccessRevoked, true);
                    closed++;
                }
            }

            for (int s = 0; s < _sessions.Capacity; s++)
            {
                if (_sessions.InUse(s) && SessionAcl(s).Enabled)
                {
                    RecheckQueue(s);
                }
            }

            return closed;
        }

        /// <summary>Removes, in one walk, the queued (not yet sent) deliveries of session s it may no longer read.</summary>
        private void RecheckQueue(int s)
        {
            int e = _deliveries.FirstQueued(s);
            while (e >= 0)
            {
                int next = _deliveries.Next(e);
                int message = _deliveries.Message(e);
                if (!CanRead(s, _pool.Data, _pool.TopicOffset(message), _pool.TopicLength(message)))
                {
                    _deliveries.RemoveQueued(s, e, _pool.Length(message));
                    _pool.Release(message);
                    _counters.RevokedQueued++;
                    _roomFreed = true;
                }

                e = next;
            }
        }

        /// <summary>persistent_client_expiration: persistent sessions offline longer than the limit are removed.</summary>
        private void ExpireSessions(long nowMs)
        {
            long limitMs = _options.PersistentSessionExpirySeconds * 1000;
            for (int s = 0; s < _sessions.Capacity; s++)
            {
                if (_sessions.InUse(s) && _sessions.IsPersistent(s) && _sessions.Connection(s) < 0 && nowMs - _offlineSince[s] >= limitMs)
                {
                    _counters.SessionsExpired++;
                    DropSession(s);
                }
            }
        }
    }
}
