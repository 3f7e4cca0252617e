using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The MQTT 3.1/3.1.1 broker engine: one thread, no locks, every table sized from <see cref="BrokerOptions"/>
    /// in the constructor and nothing allocated afterwards. The transport drives it through <see cref="IEngine"/>
    /// (see there for the call order). This file holds the construction and the seam; the packet loop is in
    /// Handlers/Dispatch.cs and each packet the broker receives has its own file next to it, connection ends are
    /// in Closing.cs, delivery to sessions in Delivery.cs, packet writing in Output.cs.
    /// </summary>
    public sealed partial class BrokerEngine : IEngine
    {
        private readonly BrokerOptions _options;
        private readonly Counters _counters;
        private readonly Connections _connections;
        private readonly SessionTable _sessions;
        private readonly Deliveries _deliveries;
        private readonly IncomingQos2 _incoming;
        private readonly MessagePool _pool;
        private readonly Subscriptions _subscriptions;
        private readonly Retained _retained;
        private readonly Wills _wills;
        // Per listener (Listeners.cs): users, rules and the anonymous setting; which listener each connection
        // came in on and each session last connected through.
        private readonly Users[] _usersOf;
        private readonly Acl[] _aclOf;
        private readonly bool[] _anonymousOf;
        private readonly byte[] _connectionListener;
        private readonly byte[] _sessionListener;

        // When each persistent session went offline (only with PersistentSessionExpirySeconds).
        private readonly long[] _offlineSince;

        // Scratch for routing: the highest granted QoS per session for the message being routed (0xFF = none),
        // and which sessions were touched, so only those are visited and reset.
        private readonly byte[] _routeQos;
        private readonly short[] _routeTouched;

        // Scratch for SUBSCRIBE: one SUBACK code and one "subscribed" flag per filter.
        private readonly byte[] _subackCodes;
        private readonly bool[] _subscribed;

        // Scratch for an assigned client id (AutoIdPrefix and 8 hex digits).
        private readonly byte[] _generatedId;
        private readonly int _prefixLength;
        private int _generatedCount;

        // What the codec decodes into, filled in place for every packet: on nanoCLR a struct header or view would be a
        // heap block per packet (docs/ARCHITECTURE.md, "What a routed message executes"). The engine is not re-entered
        // while a handler runs (one thread; Process is called by Received and Sent only), so one of each is enough.
        private readonly FixedHeader _header = new FixedHeader();
        // The scans behind a held PUBLISH read headers of their own: TakeAcksBehind runs while Process's header is
        // live, and Qos2PublishBefore runs inside a PUBREL handler that TakeAcksBehind dispatched.
        private readonly FixedHeader _behindHeader = new FixedHeader();
        private readonly FixedHeader _scanHeader = new FixedHeader();
        private readonly PublishView _publish = new PublishView();
        private readonly ConnectView _connect = new ConnectView();
        private readonly SubscribeView _subscribe = new SubscribeView();
        private readonly UnsubscribeView _unsubscribe = new UnsubscribeView();

        private long _now;

        // The framer's limit: MaxPacketSize, and with grown buffers also what one message of the pool can be (a
        // larger PUBLISH could never be placed, so it is refused at its header, PacketTooLarge, counted).
        private readonly int _maxPacket;

        // Every packet but PUBLISH: with grown buffers only PUBLISH may be large (TxBufferSize bounds the rest, and
        // the SUBACK scratch below is sized from it); fixed buffers: MaxPacketSize.
        private readonly int _maxControl;

        public BrokerEngine(BrokerOptions options)
        {
            string problem = options.Check();
            if (problem != null)
            {
                throw new System.ArgumentException(problem);
            }

            _options = options;
            int sessions = options.Sessions;
            _maxPacket = MaxPacket(options);
            _maxControl = MaxControl(options);
            if (options.GrowBuffers)
            {
                _connections = new Connections(options.Connections, _maxPacket, options.TxBufferSize, new BufferPool(options.BufferBytes));
            }
            else
            {
                _connections = new Connections(options.Connections, options.MaxPacketSize, options.TxBufferSize);
            }

            _sessions = new SessionTable(sessions, options.MaxClientIdLength, options.MaxUsernameLength);
            _deliveries = new Deliveries(options.PoolEntries, sessions);
            _incoming = new IncomingQos2(sessions, options.IncomingQos2PerSession);
            _pool = new MessagePool(options.PoolMessages, options.PoolArenaBytes);
            _holds = new Holds(options.Connections);
            _subscriptions = new Subscriptions(options.MaxSubscriptions, options.SubscriptionBytes, sessions);
            _retained = new Retained(options.RetainedSlots, options.RetainedBytes);
            _wills = new Wills(options.Connections, options.WillBytes);
            _usersOf = new Users[options.Listeners];
            _aclOf = new Acl[options.Listeners];
            _anonymousOf = new bool[options.Listeners];
            for (int l = 0; l < options.Listeners; l++)
            {
                _usersOf[l] = new Users(options.MaxUsers, options.UserBytes);
                _aclOf[l] = new Acl(options.MaxAclRules, options.AclBytes, options.MaxTopicLength);
                _anonymousOf[l] = options.AllowAnonymous;
            }

            // With one listener every connection and session is on listener 0: no need to remember it (board budget).
            if (options.Listeners > 1)
            {
                _connectionListener = new byte[options.Connections];
                _sessionListener = new byte[sessions];
            }

            _offlineSince = options.PersistentSessionExpirySeconds > 0 ? new long[sessions] : null;
            _counters = new Counters(_connections, _sessions, _subscriptions, _retained, _pool, _holds);
            _routeQos = new byte[sessions];
            _routeTouched = new short[sessions];
            for (int s = 0; s < sessions; s++)
            {
                _routeQos[s] = NoRoute;
            }

            int maxFilters = MaxFiltersPerPacket(_maxControl);
            _subackCodes = new byte[maxFilters];
            _subscribed = new bool[maxFilters];
            _prefixLength = Utf8.ByteCount(options.AutoIdPrefix);
            _generatedId = new byte[_prefixLength + 8];
            Utf8.Encode(options.AutoIdPrefix, _generatedId, 0);
            if (options.Embedded)
            {
                _embed = new EmbeddedState(options);
            }
        }

        /// <summary>The engine object and its scratch arrays, for <see cref="Budget"/>; the stores measure themselves.</summary>
        internal static void MeasureSelf(Footprint f, BrokerOptions o)
        {
            f.Object(45);
            // What the codec decodes into: _header, _behindHeader, _scanHeader, _publish, _connect, _subscribe,
            // _unsubscribe (fields by width).
            f.Object(0, 3, 2);
            f.Object(0, 3, 2);
            f.Object(0, 3, 2);
            f.Object(0, 4, 4);
            f.Object(0, 10, 8);
            f.Object(0, 3, 1);
            f.Object(0, 3, 1);
            f.Array(1, o.Sessions);
            f.Array(2, o.Sessions);
            f.Array(1, MaxFiltersPerPacket(MaxControl(o)));
            f.Array(1, MaxFiltersPerPacket(MaxControl(o)));
            f.Array(1, Utf8.ByteCount(o.AutoIdPrefix) + 8);
            // Object references: 8 bytes each on x64 (on the board each element is a heap block, 12 bytes).
            f.Array(8, o.Listeners);
            f.Array(8, o.Listeners);
            f.Array(1, o.Listeners);
            if (o.Listeners > 1)
            {
                f.Array(1, o.Connections);
                f.Array(1, o.Sessions);
            }

            if (o.PersistentSessionExpirySeconds > 0)
            {
                f.Array(8, o.Sessions);
            }
        }

        /// <summary>The largest packet the framer takes (see _maxPacket).</summary>
        internal static int MaxPacket(BrokerOptions o)
        {
            if (!o.GrowBuffers)
            {
                return o.MaxPacketSize;
            }

            int oneMessage = o.PoolArenaBytes - o.PoolArenaBytes / 8;
            return o.MaxPacketSize < oneMessage ? o.MaxPacketSize : oneMessage;
        }

        internal static int MaxControl(BrokerOptions o)
        {
            int max = MaxPacket(o);
            return o.GrowBuffers && o.TxBufferSize < max ? o.TxBufferSize : max;
        }

        /// <summary>The largest packet accepted: MaxPacketSize, or less when the pool could not hold one message that big.</summary>
        public int PacketLimit { get { return _maxPacket; } }

        /// <summary>The grown connection buffers (null with fixed ones, the board).</summary>
        public BufferPool Buffers { get { return _connections.Pool; } }

        private const byte NoRoute = Subscriptions.NoMatch;

        /// <summary>Each SUBSCRIBE entry takes at least 3 bytes (length, one filter byte, QoS) after the 2-byte packet id.</summary>
        private static int MaxFiltersPerPacket(int maxPacketSize)
        {
            return (maxPacketSize - 4) / 3 + 1;
        }

        public BrokerOptions Options { get { return _options; } }

        public Counters Counters { get { return _counters; } }

        /// <summary>The password table (of listener 0); fill it before the first Accept.</summary>
        public Users Users { get { return _usersOf[0]; } }

        /// <summary>The access rules (of listener 0); fill them before the first Accept (or with <see cref="AclFile.Load"/>).</summary>
        public Acl Acl { get { return _aclOf[0]; } }

        public Retained Retained { get { return _retained; } }

        public Subscriptions Subscriptions { get { return _subscriptions; } }

        public SessionTable Sessions { get { return _sessions; } }

        public MessagePool Messages { get { return _pool; } }

        /// <summary>Every session's queued and in-flight deliveries (the shared pool's entries).</summary>
        public Deliveries Deliveries { get { return _deliveries; } }

        // ---- The seam (IEngine) ----------------------------------------------------------------------

        public int Accept(long nowMs)
        {
            _now = nowMs;
            int c = _stopped ? -1 : _connections.Open(nowMs);
            if (c < 0)
            {
                _counters.ConnectionsRefused++;
            }
            else
            {
                if (_connectionListener != null)
                {
                    _connectionListener[c] = 0;
                }

                _holds.Reset(c, nowMs);
            }

            return c;
        }

        /// <summary>Marks a connection opened by <see cref="AcceptInternal"/> in its level byte (no table of its own).</summary>
        private const byte InternalFlag = 0x40;

        /// <summary>
        /// As <see cref="Accept"/>, for a connection the broker itself drives in memory (a bridge's local side,
        /// Bridge/Bridge.cs): its CONNECT is not checked against the password table, as Mosquitto's bridges are not.
        /// </summary>
        public int AcceptInternal(long nowMs)
        {
            int c = Accept(nowMs);
            if (c >= 0)
            {
                _connections.SetLevel(c, InternalFlag);
            }

            return c;
        }

        public byte[] ReceiveBuffer(int connection, out int offset, out int free)
        {
            if (!_connections.IsValid(connection))
            {
                offset = 0;
                free = 0;
                return _connections.Rx != null ? _connections.Rx : Connections.NoBuffer;
            }

            // RxFree first: with grown buffers it takes or enlarges the buffer the offsets refer to.
            free = _connections.RxFree(connection);
            offset = _connections.RxWriteOffset(connection);
            // A full buffer without a complete packet cannot happen (it holds MaxPacketSize and larger packets
            // are refused from the header; grown buffers grow for the packet at hand), so zero free means:
            // waiting for the transmit side to drain, or (grown) for the buffer limit to free up.
            return _connections.Rx ?? _connections.RxArray(connection);
        }

        public void Received(int connection, int count, long nowMs)
        {
            _now = nowMs;
            if (!_connections.IsValid(connection))
            {
                return;
            }

            int taken = _connections.RxAppend(connection, count);
            _counters.BytesReceived += taken;
            if (_connections.State(connection) == Connections.Closing)
            {
                // The engine is done with this client: what it still sends is read and ignored.
                _connections.RxDiscard(connection);
                return;
            }

            Process(connection);
            AfterRoomFreed();
            // Grown buffers: a connection with nothing left to read holds none.
            _connections.RxShrink(connection);
            Commit();
        }

        public int PendingOutput(int connection, out byte[] buffer, out int offset)
        {
            if (!_connections.IsValid(connection))
            {
                buffer = _connections.Tx != null ? _connections.Tx : Connections.NoBuffer;
                offset = 0;
                return 0;
            }

            buffer = _connections.Tx ?? _connections.TxArray(connection);
            if (_storeBehind)
            {
                // What the transmit buffers hold includes acks of changes not yet durable (Persisting.cs, StoreBehind).
                offset = 0;
                return 0;
            }

            return _connections.TxPending(connection, out offset);
        }

        public void Sent(int connection, int count)
        {
            if (!_connections.IsValid(connection))
            {
                return;
            }

            int taken = _connections.TxSent(connection, count);
            _counters.BytesSent += taken;
            byte state = _connections.State(connection);
            if (state == Connections.Closing)
            {
                return;
            }

            if (taken > 0)
            {
                // The subscriber took something: its stall clock starts over, and room may have freed.
                _holds.SetProgress(connection, _now);
                _roomFreed = true;
            }

            // Packets held back for lack of reply room go first, then what waits in the session's queue.
            Process(connection);
            if (_connections.State(connection) == Connections.Connected)
            {
                Pump(_connections.Session(connection));
            }

            AfterRoomFreed();
            Commit();
        }

        public int TakeWoken()
        {
            return _connections.Pool != null ? _connections.Pool.TakeWoken() : -1;
        }

        /// <summary>With grown buffers (the PC): TakeWoken also names connections that got output or began closing.</summary>
        public bool WakesForOutput { get { return _connections.Pool != null; } }

        public bool WantsClose(int connection)
        {
            return _connections.IsValid(connection) && _connections.State(connection) == Connections.Closing;
        }

        public void Closed(int connection, long nowMs)
        {
            _now = nowMs;
            if (!_connections.IsValid(connection))
            {
                return;
            }

            if (_connections.State(connection) != Connections.Closing)
            {
                Close(connection, CloseReason.NetworkClosed, true);
            }

            _holds.Reset(connection, nowMs);
            _connections.Release(connection);
            AfterRoomFreed();
            Commit();
        }

        public void Tick(long nowMs)
        {
            _now = nowMs;
            if (_offlineSince != null)
            {
                ExpireSessions(nowMs);
            }

            for (int c = 0; c < _connections.Count; c++)
            {
                byte state = _connections.State(c);
                if (state == Connections.AwaitConnect && nowMs - _connections.Opened(c) >= _options.ConnectTimeoutMs)
                {
                    _counters.ConnectTimeouts++;
                    Close(c, CloseReason.ConnectTimeout, false);
                }
                else if (state == Connections.Connected && _holds.IsHeld(c) && _holds.Reason(c) != Holds.Qos2Ids)
                {
                    // Held by others: the PUBLISH waiting in its buffer shows the client is alive ([MQTT-3.1.2-24]).
                    _connections.SetLastPacket(c, nowMs);
                }
                else if (state == Connections.Connected
                    && KeepAlive.Expired(nowMs, _connections.LastPacket(c), _connections.KeepAlive(c)))
                {
                    _counters.KeepAliveExpired++;
                    Close(c, CloseReason.KeepAliveExpired, true);
                }
            }

            if (_connections.Pool != null)
            {
                // Buffers taken by a read that found nothing go back; free ones unused for a while go to the GC.
                _connections.ShrinkIdle();
                _connections.Pool.Trim(nowMs);
            }

            // Every held publisher is tried again, finding the subscribers that hold it back; the stalled ones go.
            if (_holds.Count > 0)
            {
                RetryHeld(true);
                if (!_storeBehind)
                {
                    // Nobody takes anything while the store is behind: that is not the subscribers' stall.
                    CutStalled();
                }

                AfterRoomFreed();
            }

            Commit();
        }

        // ---- For the transport's log and for tests ---------------------------------------------------

        /// <summary>Why the connection is closing or closed (until its slot is reused).</summary>
        public CloseReason CloseReasonOf(int connection)
        {
            return _connections.Reason(connection);
        }

        /// <summary>The codec's verdict when CloseReasonOf is ProtocolViolation.</summary>
        public DecodeResult ViolationOf(int connection)
        {
            return _connections.Violation(connection);
        }

        public bool IsConnected(int connection)
        {
            return _connections.IsValid(connection) && _connections.State(connection) == Connections.Connected;
        }

        /// <summary>The session a connected client holds, or -1.</summary>
        public int SessionOf(int connection)
        {
            return _connections.IsValid(connection) ? _connections.Session(connection) : -1;
        }

        public int QueuedFor(int session)
        {
            return _deliveries.QueuedCount(session);
        }

        public int InflightFor(int session)
        {
            return _deliveries.Inflight(session);
        }

        /// <summary>Connections whose next PUBLISH waits for room (back-pressure).</summary>
        public int HeldPublishers { get { return _holds.Count; } }

        public bool IsHeld(int connection)
        {
            return _connections.IsValid(connection) && _holds.IsHeld(connection);
        }
    }
}
