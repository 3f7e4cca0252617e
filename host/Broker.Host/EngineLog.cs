using System.Net;
using System.Text;
using System;
using Device.Broker;
using Device.Net;
using Device.Protocol;

namespace Broker.Host
{
    /// <summary>
    /// Sits between the transport and the engine and writes Mosquitto's log lines: connections with their
    /// parameters, subscriptions, and why each client went away; with -v every packet in both directions. It
    /// forwards every call unchanged and reads the packets from the same bytes the transport moves, so the engine
    /// needs no logging of its own (the board runs without this class).
    /// </summary>
    public sealed class EngineLog : IEngine, ITransportLog
    {
        private readonly BrokerEngine _engine;
        private readonly MosquittoLog _log;
        private readonly ConnectionLog[] _conns;
        private readonly ConnectView _connect = new ConnectView();
        private readonly SubscribeView _subscribe = new SubscribeView();
        private readonly UnsubscribeView _unsubscribe = new UnsubscribeView();
        private readonly ConnackView _connack = new ConnackView();
        private readonly PublishView _publish = new PublishView();

        // The connection lines are put together here (engine thread only): see LineText.
        private readonly LineText _line = new LineText();

        // Per slot, made the first time a connection uses the slot and reused after (issue 10: made for all 20,000
        // slots at start-up, with two 256-byte tap buffers and four delegates each, it was 1.2 KB a slot, 24 MB).
        private sealed class ConnectionLog
        {
            public readonly PacketTap In = new PacketTap();
            public readonly PacketTap Out = new PacketTap();
            // The peer's IPv4 address and port as one number (1 << 48 | address << 16 | port; 0: none), formatted only
            // for a line that shows it: no string and no IPEndPoint kept per client (the descriptor path makes the end
            // point for this call only, and it was 72 B a connection when kept). Any other end point is kept as it is.
            public long Remote4;
            public EndPoint RemoteEnd;
            public string Id;

            // From CONNECT until the "New client connected" line that shows them: protocol level (3 or 4), clean
            // session, keep-alive, and the user name (null afterwards, and without one). Numbers, not a text: see LineText.
            public byte Level;
            public bool Clean;
            public int KeepAlive;
            public string User;
            public bool Connected;
            public int NetworkError = -2; // -2: the network did not end it
            public byte RefusedWith;

            // The region the engine handed out, between ReceiveBuffer/PendingOutput and Received/Sent only: a pooled
            // buffer given back must not stay reachable from here.
            public byte[] RxBuffer;
            public int RxOffset;
            public byte[] TxBuffer;
            public int TxOffset;
        }

        // One set for every connection: the delegates take the connection number instead of capturing a slot (four
        // closures a slot before), and were made once for the same reason as before: lambdas written inline at the
        // Feed calls allocated two closures per read and per send (7-45 bytes per routed message, issue #5).
        private readonly TapBuffers _tapBuffers = new TapBuffers();
        private readonly Func<byte, bool> _wantIn;
        private readonly Func<byte, bool> _wantOut;
        private readonly PacketTap.PacketHandler _onIn;
        private readonly PacketTap.PacketHandler _onOut;

        public EngineLog(BrokerEngine engine, MosquittoLog log)
        {
            _engine = engine;
            _log = log;
            _conns = new ConnectionLog[engine.Options.Connections];
            // CONNECT and CONNACK always (the client's name and why it was refused, for the lines that name it);
            // SUBSCRIBE and UNSUBSCRIBE only when a line about them is written.
            _wantIn = t => _log.Verbose || t == PacketType.Connect
                || (t == PacketType.Subscribe && _log.Wants(LogTypes.Subscribe)) || (t == PacketType.Unsubscribe && _log.Wants(LogTypes.Unsubscribe));
            _wantOut = t => _log.Verbose || t == PacketType.Connack;
            _onIn = (c, p, h) => Incoming(_conns[c], p, h);
            _onOut = (c, p, h) => Outgoing(_conns[c], p, h);
        }

        /// <summary>Slots whose log state has been made (at most the slots ever used at once).</summary>
        public int SlotsMade
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _conns.Length; i++)
                {
                    n += _conns[i] != null ? 1 : 0;
                }

                return n;
            }
        }

        /// <summary>Tap buffers out now (0 when no connection is half-way through a packet the log keeps).</summary>
        public int TapBuffersOut { get { return _tapBuffers.Out; } }

        /// <summary>Buffers held by connection c's log state (0 for an idle one), by reference, for tests.</summary>
        public bool HoldsBuffers(int c)
        {
            ConnectionLog k = _conns[c];
            return k != null && (k.RxBuffer != null || k.TxBuffer != null || k.In.HeldBytes > 0 || k.Out.HeldBytes > 0);
        }

        /// <summary>The listening port, for "New connection from ... on port N".</summary>
        public int Port { get; set; }

        /// <summary>The transport, to tell the engine which listener a connection came in on.</summary>
        public SocketTransport Transport { get; set; }

        /// <summary>Applied on this (the engine's) thread at each tick when a reload was posted.</summary>
        public SecurityReload Reload { get; set; }

        /// <summary>Checked at each tick: keeps the GC's young generation to a few MB (null: the runtime's own sizing).</summary>
        public YoungGeneration Young { get; set; }

        // ---- ITransportLog ---------------------------------------------------------------------------

        public void Opened(int connection, EndPoint remote)
        {
            ConnectionLog k = _conns[connection];
            IPEndPoint ip = remote as IPEndPoint;
            if (ip != null && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
#pragma warning disable CS0618 // IPAddress.Address: the IPv4 address as a number, which is what is wanted here.
                k.Remote4 = (1L << 48) | ((ip.Address.Address & 0xFFFFFFFFL) << 16) | (long)(ip.Port & 0xFFFF);
#pragma warning restore CS0618
            }
            else
            {
                k.RemoteEnd = remote;
            }

            int port = Port;
            if (Transport != null)
            {
                // Before the first byte is handed over: the engine checks CONNECT against this listener's security.
                int listener = Transport.ListenerOf(connection);
                _engine.SetListener(connection, listener);
                port = Transport.PortOf(listener);
            }

            if (_log.WantsConnections)
            {
                _log.Connection(Remote(_line.Clear().Append("New connection from "), k).Append(" on port ").Append(port).Append('.').Span);
            }
        }

        public void Refused(EndPoint remote, bool sentConnack)
        {
            _log.Notice("Client connection from " + (remote != null ? remote.ToString() : "unknown")
                + " denied: max_connections exceeded" + (sentConnack ? " (sent CONNACK 3)." : "."));
        }

        public void Failed(int connection, int socketError)
        {
            _conns[connection].NetworkError = socketError;
        }

        public void Faulted(int connection, Exception error)
        {
            Faults++;
            string who = connection >= 0 && connection < _conns.Length ? "client " + Name(_conns[connection]) : "the engine's timer pass";
            _log.Error("fault while serving " + who + ", connection closed, the broker goes on: " + error);
        }

        /// <summary>Faults reported by the transport since start (each closed one connection).</summary>
        public int Faults { get; private set; }

        // ---- IEngine ---------------------------------------------------------------------------------

        public int Accept(long nowMs)
        {
            int c = _engine.Accept(nowMs);
            if (c >= 0 && c < _conns.Length)
            {
                ConnectionLog k = _conns[c];
                if (k == null)
                {
                    k = new ConnectionLog();
                    _conns[c] = k;
                }

                k.In.Reset(_tapBuffers);
                k.Out.Reset(_tapBuffers);
                k.RemoteEnd = null;
                k.Remote4 = 0;
                k.Id = null;
                k.User = null;
                k.Connected = false;
                k.NetworkError = -2;
                k.RefusedWith = 0;
            }

            return c;
        }

        public byte[] ReceiveBuffer(int connection, out int offset, out int free)
        {
            byte[] b = _engine.ReceiveBuffer(connection, out offset, out free);
            _conns[connection].RxBuffer = b;
            _conns[connection].RxOffset = offset;
            return b;
        }

        public void Received(int connection, int count, long nowMs)
        {
            ConnectionLog k = _conns[connection];
            // Read before the engine consumes (and may move) the bytes.
            k.In.Feed(k.RxBuffer, k.RxOffset, count, _wantIn, _onIn, connection, _tapBuffers);
            k.RxBuffer = null;
            _engine.Received(connection, count, nowMs);
            NoteConnected(connection, k);
        }

        public int PendingOutput(int connection, out byte[] buffer, out int offset)
        {
            int n = _engine.PendingOutput(connection, out buffer, out offset);
            if (n > 0)
            {
                // Only when there is something to send (Sent follows): the transport asks every connection every
                // pass, and a reference store per idle connection per pass was a tenth of the loop's time.
                _conns[connection].TxBuffer = buffer;
                _conns[connection].TxOffset = offset;
            }

            return n;
        }

        public void Sent(int connection, int count)
        {
            ConnectionLog k = _conns[connection];
            // The region is only valid until the engine hears it was sent.
            k.Out.Feed(k.TxBuffer, k.TxOffset, count, _wantOut, _onOut, connection, _tapBuffers);
            k.TxBuffer = null;
            _engine.Sent(connection, count);
        }

        public bool WantsClose(int connection)
        {
            return _engine.WantsClose(connection);
        }

        public int TakeWoken()
        {
            return _engine.TakeWoken();
        }

        public bool WakesForOutput { get { return _engine.WakesForOutput; } }

        public void Closed(int connection, long nowMs)
        {
            _engine.Closed(connection, nowMs);
            // The engine keeps the reason until the slot is reused.
            if (!_log.WantsConnections)
            {
                return;
            }

            _log.Connection(Farewell(_conns[connection], _engine.CloseReasonOf(connection), _engine.ViolationOf(connection)));
        }

        public void Tick(long nowMs)
        {
            Reload?.ApplyPending();
            Young?.Check();
            _engine.Tick(nowMs);
        }

        // ---- Lines -----------------------------------------------------------------------------------

        private void NoteConnected(int c, ConnectionLog k)
        {
            if (k.Connected || !_engine.IsConnected(c))
            {
                return;
            }

            k.Connected = true;
            int s = _engine.SessionOf(c);
            // The engine's own copy: it holds the id it assigned when the client sent an empty one.
            k.Id = Encoding.UTF8.GetString(_engine.Sessions.Ids, _engine.Sessions.IdOffset(s), _engine.Sessions.IdLength(s));
            if (_log.WantsConnections)
            {
                LineText t = Remote(_line.Clear().Append("New client connected from "), k).Append(" as ").Append(k.Id)
                    .Append(" (p").Append(k.Level == ProtocolLevel.V31 ? 1 : 2).Append(", c").Append(k.Clean ? 1 : 0).Append(", k").Append(k.KeepAlive);
                if (k.User != null)
                {
                    t.Append(", u'").Append(k.User).Append('\'');
                }

                _log.Connection(t.Append(").").Span);
            }

            k.User = null;
        }

        private void Incoming(ConnectionLog k, byte[] p, FixedHeader h)
        {
            switch (h.Type)
            {
                case PacketType.Connect:
                    // Only a CONNECT the codec accepted has fields to show: a failed decode leaves offsets that may
                    // point past the packet (a client-id length of 65535 in a 16-byte packet killed the process).
                    ConnectView v = _connect;
                    if (ConnectPacket.Decode(p, 0, h, v) == DecodeResult.Ok)
                    {
                        k.Id = Text(p, v.ClientIdOffset, v.ClientIdLength);
                        if (!_log.WantsConnections)
                        {
                            return;
                        }

                        k.Level = v.ProtocolLevel;
                        k.Clean = v.CleanSession;
                        k.KeepAlive = v.KeepAlive;
                        k.User = v.HasUsername ? Text(p, v.UsernameOffset, v.UsernameLength) : null;
                    }

                    return;
                case PacketType.Subscribe:
                    SubscribeView s = _subscribe;
                    if (SubscribePacket.Decode(p, 0, h, s) == DecodeResult.Ok)
                    {
                        bool debug = _log.Wants(LogTypes.Debug);
                        bool subscribe = _log.Wants(LogTypes.Subscribe);
                        if (debug)
                        {
                            _log.Debug("Received SUBSCRIBE from " + Name(k));
                        }

                        int at = s.EntriesOffset;
                        while (at < s.EntriesEnd)
                        {
                            SubscribePacket.NextEntry(p, ref at, out int filter, out int length, out byte qos);
                            if (debug)
                            {
                                _log.Debug("\t" + Text(p, filter, length) + " (QoS " + qos + ")");
                            }

                            if (subscribe)
                            {
                                _log.Subscribe(Name(k) + " " + qos + " " + Text(p, filter, length));
                            }
                        }
                    }

                    return;
                case PacketType.Unsubscribe:
                    UnsubscribeView u = _unsubscribe;
                    if (UnsubscribePacket.Decode(p, 0, h, u) == DecodeResult.Ok)
                    {
                        bool debug = _log.Wants(LogTypes.Debug);
                        bool unsubscribe = _log.Wants(LogTypes.Unsubscribe);
                        if (debug)
                        {
                            _log.Debug("Received UNSUBSCRIBE from " + Name(k));
                        }

                        int at = u.EntriesOffset;
                        while (at < u.EntriesEnd)
                        {
                            UnsubscribePacket.NextEntry(p, ref at, out int filter, out int length);
                            if (debug)
                            {
                                _log.Debug("\t" + Text(p, filter, length));
                            }

                            if (unsubscribe)
                            {
                                _log.Unsubscribe(Name(k) + " " + Text(p, filter, length));
                            }
                        }
                    }

                    return;
                default:
                    if (_log.Wants(LogTypes.Debug))
                    {
                        _log.Debug("Received " + TypeName(h.Type) + " from " + Name(k) + Details(p, h, false));
                    }

                    return;
            }
        }

        private void Outgoing(ConnectionLog k, byte[] p, FixedHeader h)
        {
            ConnackView v = _connack;
            if (h.Type == PacketType.Connack && ConnackPacket.Decode(p, 0, h, v) == DecodeResult.Ok)
            {
                k.RefusedWith = v.ReturnCode;
                if (!_log.Wants(LogTypes.Debug))
                {
                    return;
                }

                _log.Debug("Sending CONNACK to " + Name(k) + " (" + (v.SessionPresent ? 1 : 0) + ", " + v.ReturnCode + ")");
                return;
            }

            if (_log.Wants(LogTypes.Debug))
            {
                _log.Debug("Sending " + TypeName(h.Type) + " to " + Name(k) + Details(p, h, true));
            }
        }

        private static string Farewell(ConnectionLog k, CloseReason reason, DecodeResult violation)
        {
            string who = "Client " + Name(k);
            if (k == null)
            {
                return who + " closed its connection.";
            }

            switch (reason)
            {
                case CloseReason.ClientDisconnected:
                    return who + " disconnected.";
                case CloseReason.KeepAliveExpired:
                    return who + " has exceeded timeout, disconnecting.";
                case CloseReason.ConnectTimeout:
                    return "Client from " + Remote(k) + " sent no CONNECT in time, disconnecting.";
                case CloseReason.TakenOver:
                    return who + " already connected, closing old connection.";
                case CloseReason.ProtocolViolation:
                    return who + " disconnected due to protocol error (" + violation + ").";
                case CloseReason.AccessRevoked:
                    return who + " disconnected: its access was revoked by a reload.";
                case CloseReason.UnexpectedPacket:
                    return who + " disconnected due to protocol error (unexpected packet).";
                case CloseReason.ConnectRefused:
                    return k.RefusedWith == ConnectReturnCode.NotAuthorized || k.RefusedWith == ConnectReturnCode.BadUsernameOrPassword
                        ? who + " disconnected, not authorised."
                        : who + " refused: " + RefusalText(k.RefusedWith) + " (CONNACK " + k.RefusedWith + ").";
                default:
                    return k.NetworkError > 0 || k.NetworkError == -1
                        ? "Socket error on client " + Name(k) + ", disconnecting."
                        : who + " closed its connection.";
            }
        }

        private static string RefusalText(byte code)
        {
            switch (code)
            {
                case ConnectReturnCode.UnacceptableProtocolVersion: return "unacceptable protocol version";
                case ConnectReturnCode.IdentifierRejected: return "identifier rejected";
                case ConnectReturnCode.ServerUnavailable: return "server unavailable";
                default: return "refused";
            }
        }

        /// <summary>Mosquitto's debug details, e.g. " (d0, q1, r0, m7, 'a/b', ... (5 bytes))"; acks it sends carry rc0.</summary>
        private string Details(byte[] p, FixedHeader h, bool sending)
        {
            switch (h.Type)
            {
                case PacketType.Publish:
                    PublishView v = _publish;
                    if (PublishPacket.Decode(p, 0, h, v) == DecodeResult.Ok)
                    {
                        return " (d" + (v.Dup ? 1 : 0) + ", q" + v.Qos + ", r" + (v.Retain ? 1 : 0) + ", m" + v.PacketId
                            + ", '" + Text(p, v.TopicOffset, v.TopicLength) + "', ... (" + v.PayloadLength + " bytes))";
                    }

                    return "";
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                case PacketType.Unsuback:
                    return AckPacket.Decode(p, 0, h, out ushort id) == DecodeResult.Ok ? " (m" + id + (sending ? ", rc0)" : ")") : "";
                default:
                    return "";
            }
        }

        private static string TypeName(byte type)
        {
            string[] names = { "RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
                "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "RESERVED" };
            return names[type & 0x0F];
        }

        /// <summary>Appends the peer, "a.b.c.d:port" or the end point's own text, without making a string.</summary>
        private static LineText Remote(LineText t, ConnectionLog k)
        {
            if (k.Remote4 != 0)
            {
                // Straight from the number: an IPEndPoint, an IPAddress and their texts made for each line were garbage,
                // two lines per connection (issue 10).
                return t.AppendIPv4((k.Remote4 >> 16) & 0xFFFFFFFFL, (int)(k.Remote4 & 0xFFFF));
            }

            return t.Append(k.RemoteEnd != null ? k.RemoteEnd.ToString() : "unknown");
        }

        /// <summary>The peer as a text, for the rarer lines built as strings (a connect timeout).</summary>
        private static string Remote(ConnectionLog k)
        {
            return Remote(new LineText(), k).Span.ToString();
        }

        private static string Name(ConnectionLog k)
        {
            return k == null || string.IsNullOrEmpty(k.Id) ? "<unknown>" : k.Id;
        }

        /// <summary>A field as text; a field outside the packet (which only a bug can give) shows as such instead of throwing.</summary>
        private static string Text(byte[] p, int offset, int length)
        {
            if (offset < 0 || length < 0 || offset > p.Length - length)
            {
                return "<outside the packet>";
            }

            return Encoding.UTF8.GetString(p, offset, length);
        }
    }
}
