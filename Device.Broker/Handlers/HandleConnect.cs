using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// CONNECT (3.1): decide, in Mosquitto's order, whether the client may connect (protocol version, client
    /// id, keep-alive, user name and password, capacity), then take over an existing connection with the same
    /// client id, start or resume the session, store the will and answer CONNACK. Every refusal is decided
    /// before anything is changed, so a refused CONNECT leaves no trace besides its CONNACK and counters.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleConnect(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.RxArray(c);
            ConnectView v = _connect;
            DecodeResult r = ConnectPacket.Decode(rx, offset, h, v);
            if (r == DecodeResult.UnknownProtocolLevel)
            {
                // [MQTT-3.1.2-2]: answer CONNACK 1, then close.
                Refuse(c, ConnectReturnCode.UnacceptableProtocolVersion);
                return;
            }

            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            // The bridge flag stays in the connection's level (no table of its own); the rest of CONNECT sees the plain level.
            _connections.SetLevel(c, (byte)(v.ProtocolLevel | (_connections.Level(c) & InternalFlag)));
            v.ProtocolLevel = (byte)(v.ProtocolLevel & 0x7F);
            byte code = ConnectPacket.CheckClientId(rx, v);
            // 3.1 allows 1-23 characters; held to 23 bytes here, as Mosquitto does, whatever the characters.
            int maxId = v.ProtocolLevel == ProtocolLevel.V31 ? ConnectPacket.MaxClientIdLengthV31 : _options.MaxClientIdLength;
            if (code == ConnectReturnCode.Accepted && v.ClientIdLength > maxId)
            {
                code = ConnectReturnCode.IdentifierRejected;
            }

            if (code == ConnectReturnCode.Accepted && (_connections.Level(c) & InternalFlag) == 0)
            {
                // Not for the broker's own bridge (AcceptInternal): its local side is in memory and has no keep-alive (0),
                // which the Device profile's max_keepalive 3600 would refuse, so a board bridge never got its local session.
                code = KeepAlive.Check(_options, v.KeepAlive);
            }

            if (code == ConnectReturnCode.Accepted && v.ClientIdLength == 0 && !_options.AllowZeroLengthClientId)
            {
                // Mosquitto's allow_zero_length_clientid false: no id is assigned, the client is refused.
                code = ConnectReturnCode.IdentifierRejected;
            }

            if (code == ConnectReturnCode.Accepted && v.HasWill)
            {
                if (v.WillRetain && !_options.RetainAvailable)
                {
                    _counters.RetainUnavailable++;
                    Unexpected(c);
                    return;
                }

                // Mosquitto (will__read) refuses a will it could never publish: too many topic levels is a
                // protocol error (closed without CONNACK), a payload over message_size_limit CONNACK 5.
                if (!LevelsAllowed(rx, v.WillTopicOffset, v.WillTopicLength))
                {
                    Violation(c, DecodeResult.TooManyTopicLevels);
                    return;
                }

                if (_options.MaxPayloadSize > 0 && v.WillMessageLength > _options.MaxPayloadSize)
                {
                    _counters.PublishTooLarge++;
                    code = ConnectReturnCode.NotAuthorized;
                }
            }

            if (code == ConnectReturnCode.Accepted)
            {
                // The broker's own bridge (AcceptInternal) is part of the broker, as Mosquitto's bridges are.
                code = (_connections.Level(c) & InternalFlag) != 0 ? ConnectReturnCode.Accepted : Authenticate(ListenerOf(c), rx, v);
            }

            if (code != ConnectReturnCode.Accepted)
            {
                Refuse(c, code);
                return;
            }

            // [MQTT-3.1.3-6]: an empty client id (3.1.1, clean session only) gets one assigned.
            byte[] idSource = rx;
            int idOffset = v.ClientIdOffset;
            int idLength = v.ClientIdLength;
            if (idLength == 0)
            {
                idSource = _generatedId;
                idOffset = 0;
                idLength = GenerateClientId();
            }

            int existing = _sessions.Find(idSource, idOffset, idLength);
            if (existing >= 0 && _sessions.IsBridge(existing) && (_connections.Level(c) & InternalFlag) == 0)
            {
                // A socket client claiming the bridge's client id would take over (or discard) a session that holds
                // messages passed for the bridge without acl_file: refused, CONNACK 2, and the bridge keeps its session.
                Refuse(c, ConnectReturnCode.IdentifierRejected);
                return;
            }

            int oldConnection = existing >= 0 ? _sessions.Connection(existing) : -1;
            bool resume = !v.CleanSession && existing >= 0 && _sessions.IsPersistent(existing);

            if (oldConnection < 0 && _connections.ConnectedCount >= _options.MaxClients)
            {
                Refuse(c, ConnectReturnCode.ServerUnavailable);
                return;
            }

            if (!v.CleanSession && !resume && _sessions.PersistentCount >= _options.MaxPersistentSessions)
            {
                Refuse(c, ConnectReturnCode.ServerUnavailable);
                return;
            }

            // Cannot happen while Sessions = MaxClients + MaxPersistentSessions; refuse rather than corrupt if it does.
            if (!resume && existing < 0 && _sessions.Count >= _sessions.Capacity)
            {
                Refuse(c, ConnectReturnCode.ServerUnavailable);
                return;
            }

            if (v.HasWill && !_wills.Fits(v.WillTopicLength, v.WillMessageLength, oldConnection))
            {
                Refuse(c, ConnectReturnCode.ServerUnavailable);
                return;
            }

            // Accepted: from here on nothing can fail.
            if (oldConnection >= 0)
            {
                // [MQTT-3.1.4-2]: the existing client is disconnected. Its will is published unless both the old
                // and the new connection are persistent (Mosquitto's connect__on_authorised: the session carries
                // on, so the client has not gone away as far as its subscribers are concerned).
                _counters.Takeovers++;
                bool sessionGoesOn = !v.CleanSession && _sessions.IsPersistent(existing);
                Close(oldConnection, CloseReason.TakenOver, !sessionGoesOn);
                existing = _sessions.Find(idSource, idOffset, idLength);
            }

            if (!resume && existing >= 0)
            {
                // [MQTT-3.1.2-6]: CleanSession=1 discards any previous session.
                DropSession(existing);
            }

            int s = resume ? existing : _sessions.Create(idSource, idOffset, idLength, !v.CleanSession);
            if (!resume && !v.CleanSession && _store != null)
            {
                _store.SessionSaved(s, idSource, idOffset, idLength);
            }

            _sessions.SetConnection(s, c);
            _connections.SetSession(c, s);
            if (_sessionListener != null)
            {
                _sessionListener[s] = _connectionListener[c];
            }

            if ((_connections.Level(c) & InternalFlag) != 0)
            {
                // The bridge's local side: exempt from acl_file (SessionTable.BridgeUser), for its persistent
                // session's lifetime, not only while connected.
                _sessions.MarkBridge(s);
            }
            else if (v.HasUsername)
            {
                _sessions.SetUser(s, rx, v.UsernameOffset, v.UsernameLength);
            }
            else
            {
                _sessions.ClearUser(s);
            }

            if (v.HasWill)
            {
                _wills.Set(c, rx, v.WillTopicOffset, v.WillTopicLength, v.WillMessageOffset, v.WillMessageLength, v.WillQos, v.WillRetain);
            }

            _connections.SetKeepAlive(c, v.KeepAlive);
            _connections.SetLastPacket(c, _now);
            _connections.SetState(c, Connections.Connected);

            // 3.1 has no session-present flag.
            if (!Replied(c, WriteConnack(c, resume && v.ProtocolLevel == ProtocolLevel.V311, ConnectReturnCode.Accepted)))
            {
                return;
            }

            _holds.SetProgress(c, _now);
            if (_embed != null)
            {
                NotifyConnected(c, s);
            }

            if (resume)
            {
                // [MQTT-4.4.0-1]: unacknowledged PUBLISH and PUBREL go out again, in their original order.
                _deliveries.MarkAllPending(s);
            }

            Pump(s);
        }

        /// <summary>
        /// User name and password against the listener's table and anonymous setting, then the app's hook, as a
        /// CONNACK code. The hook (docs/EMBEDDING.md, "Hooks") only narrows what the built-in checks accept, with one
        /// exception: a CONNECT with a user name while no password file is loaded is the hook's alone to decide (it
        /// is the user store the app keeps elsewhere). Without a hook nothing changes; anonymous-off still refuses
        /// every CONNECT without a user name, whatever the hook says.
        /// </summary>
        private byte Authenticate(int listener, byte[] rx, ConnectView v)
        {
            Users users = _usersOf[listener];
            bool hook = _embed != null && _embed.Hook != null;
            if (!v.HasUsername)
            {
                // 3.1 allows a password without a user name; with nobody to check it against it is ignored.
                if (_anonymousOf[listener])
                {
                    return hook ? HookAuthenticate(rx, v) : ConnectReturnCode.Accepted;
                }

                _counters.AuthFailures++;
                return ConnectReturnCode.NotAuthorized;
            }

            if (v.UsernameLength > _options.MaxUsernameLength)
            {
                _counters.AuthFailures++;
                return ConnectReturnCode.BadUsernameOrPassword;
            }

            if (!users.Enabled)
            {
                if (hook)
                {
                    return HookAuthenticate(rx, v);
                }

                // No password file: a user name is only a name when anonymous access is on (Mosquitto 2.0); with it
                // off there is no way to check a password, so nobody gets in.
                if (_anonymousOf[listener])
                {
                    return ConnectReturnCode.Accepted;
                }

                _counters.AuthFailures++;
                return ConnectReturnCode.NotAuthorized;
            }

            // A missing or zero-length password never matches, whatever the table holds (Mosquitto 2.0.11 refuses it).
            AuthResult result = users.Check(rx, v.UsernameOffset, v.UsernameLength, v.HasPassword, rx, v.PasswordOffset, v.PasswordLength);
            if (result == AuthResult.Accepted)
            {
                return hook ? HookAuthenticate(rx, v) : ConnectReturnCode.Accepted;
            }

            // Mosquitto 2.0 answers a wrong password, an unknown user and a user without a password with 5
            // (not authorised) rather than 4; the spec allows either ([MQTT-3.2.2-6] leaves the choice of code).
            _counters.AuthFailures++;
            return ConnectReturnCode.NotAuthorized;
        }

        /// <summary>CONNACK with a non-zero code, then close without a will ([MQTT-3.2.2-5]).</summary>
        private void Refuse(int c, byte code)
        {
            _counters.ConnectsRefused++;
            if (Replied(c, WriteConnack(c, false, code)))
            {
                Close(c, CloseReason.ConnectRefused, false);
            }
        }

        /// <summary>Writes AutoIdPrefix and 8 hex digits into _generatedId, unique among sessions; returns its length.</summary>
        private int GenerateClientId()
        {
            byte[] id = _generatedId;
            int length = id.Length;
            do
            {
                int n = ++_generatedCount;
                for (int i = length - 1; i >= _prefixLength; i--)
                {
                    int digit = n & 0xF;
                    id[i] = (byte)(digit < 10 ? '0' + digit : 'a' + digit - 10);
                    n >>= 4;
                }
            }
            while (_sessions.Find(id, 0, length) >= 0);

            return length;
        }
    }
}
