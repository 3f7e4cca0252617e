using Device.Broker;
using Device.Client;
using Device.Protocol;

namespace Device.Net
{
    /// <summary>
    /// One `connection` block at work: two client engines (Device.Client) on the broker's own thread. The local one
    /// is connected to this broker in memory (AcceptInternal, no socket) as a persistent session subscribed to the
    /// `out` patterns; the remote one talks to the upstream broker through a transport (Device.Net's BridgeLink on
    /// the board and the PC). Store and forward falls out of the session: while the upstream is away the local side is
    /// disconnected, so the engine keeps QoS 1/2 messages for it in its pool (bounded by max_queued_messages, counted
    /// like any offline session's) and drops QoS 0 (counted); on reconnect the session resumes and the queue drains in
    /// order, QoS 2 through the remote engine's exactly-once handshake. A message is handed from one side to the other
    /// only when the other side can take it (a free in-flight slot, transmit room): bytes are fed to the receiving client
    /// up to the last byte of a PUBLISH and stop there, so an acknowledged message is never lost for lack of room, and a
    /// slow upstream pushes back on local publishers like a slow subscriber does. Nothing is allocated per message.
    /// </summary>
    public sealed class Bridge : IClientListener, IOfflineQos0Sink, IPublishGate
    {
        private readonly BridgeOptions _o;
        private readonly BrokerEngine _engine;
        private readonly MqttClient _local;
        private readonly MqttClient _remote;
        private readonly ConnectView _localView = new ConnectView();
        private readonly ConnectView _remoteView = new ConnectView();
        private readonly byte[] _localSource;
        private readonly byte[] _remoteSource;
        private readonly FixedHeader _peek = new FixedHeader();
        private readonly byte[] _topic;
        private readonly byte[][] _outFilters;
        private readonly byte[] _outQos;
        private readonly byte[][] _inFilters;
        private readonly byte[] _inQos;
        private readonly byte[] _stateTopic;
        private readonly byte[] _online = new byte[] { (byte)'1' };
        private readonly byte[] _offline = new byte[] { (byte)'0' };
        private readonly ConflateTable _conflate;
        private int _connection = -1;
        // try_private: FlagOn sends the bridge bit; FlagOff never (configured so, or refused with CONNACK 1, which is
        // Mosquitto's rule and stays); FlagOffAfterClose: the upstream closed before CONNACK with the bit on (RabbitMQ
        // does that), so the next attempt goes without it, but only for now: a close may also be a flaky uplink's, and
        // a Mosquitto upstream without the bit sends a bridge its own messages back (a loop on `both` topics).
        private const byte FlagOff = 0;
        private const byte FlagOn = 1;
        private const byte FlagOffAfterClose = 2;
        private byte _flag;

        // The upstream is away and a QoS 1/2 message came for it: the local side went offline so the session stores it;
        // it connects again with the upstream. Only with conflate (without it the local side is offline whenever the upstream is).
        private bool _parked;

        // The local session while parked (the engine offers its QoS 0 to the table: Offer), and the sink that was set
        // before this bridge's (another bridge's): a session that is not ours goes there.
        private int _session = -1;
        private readonly IOfflineQos0Sink _nextSink;
        private long _now;

        public Bridge(BridgeOptions options, BrokerEngine engine)
        {
            string problem = options.Check();
            if (problem != null)
            {
                throw new System.ArgumentException(problem);
            }

            _o = options;
            _engine = engine;
            int packet = options.MaxPacketSize;
            // Local: receives what the engine forwards (one packet at a time), sends acks and `in` messages.
            _local = new MqttClient(packet, 2 * packet, options.InflightWindow, packet, this);
            _remote = new MqttClient(packet, 2 * packet, options.InflightWindow + 2, packet, this);
            // The local publishers were answered when a message moved into the remote engine: an upstream that lost the
            // session (killed, restarted empty, or cleansession true) gets the in-flight ones again, never none.
            _remote.RepublishOnSessionLoss = true;
            _flag = options.TryPrivate ? FlagOn : FlagOff;

            ConnectOptions local = new ConnectOptions();
            local.ClientId = options.LocalId;
            local.CleanSession = false;
            local.KeepAliveSeconds = 0;
            _localSource = local.Build(_localView);
            _localView.ProtocolLevel = Device.Protocol.ProtocolLevel.V311 | Device.Protocol.ProtocolLevel.BridgeFlag;

            ConnectOptions remote = new ConnectOptions();
            remote.ProtocolLevel = options.ProtocolLevel;
            remote.ClientId = options.RemoteId;
            remote.CleanSession = options.CleanSession;
            remote.KeepAliveSeconds = (ushort)options.KeepAliveSeconds;
            remote.Username = options.RemoteUsername;
            remote.Password = options.RemotePassword == null ? null : Bytes(options.RemotePassword);
            if (options.Notifications)
            {
                // Mosquitto's bridge will: the upstream marks the connection offline when this broker vanishes.
                remote.WillTopic = options.StateTopic;
                remote.WillPayload = _offline;
                remote.WillQos = 1;
                remote.WillRetain = true;
            }

            _remoteSource = remote.Build(_remoteView);
            _stateTopic = Bytes(options.StateTopic);

            int outCount = 0, inCount = 0, longest = 0;
            for (int i = 0; i < options.TopicCount; i++)
            {
                BridgeTopic t = options.Topics[i];
                outCount += t.Outgoing ? 1 : 0;
                inCount += t.Incoming ? 1 : 0;
                longest = Max(longest, Max(t.LocalPrefix.Length, t.RemotePrefix.Length));
            }

            _outFilters = new byte[outCount][];
            _outQos = new byte[outCount];
            _inFilters = new byte[inCount][];
            _inQos = new byte[inCount];
            outCount = 0;
            inCount = 0;
            for (int i = 0; i < options.TopicCount; i++)
            {
                BridgeTopic t = options.Topics[i];
                if (t.Outgoing)
                {
                    _outFilters[outCount] = t.LocalFilter;
                    _outQos[outCount++] = t.Qos;
                }

                if (t.Incoming)
                {
                    _inFilters[inCount] = t.RemoteFilter;
                    _inQos[inCount++] = t.Qos;
                }
            }

            _topic = new byte[packet + longest];
            if (options.ConflateCount > 0)
            {
                _conflate = new ConflateTable(options.Conflate, options.ConflateCount, options.ConflateSlots, options.ConflateSlotBytes);
                _nextSink = engine.OfflineQos0Sink;
                engine.OfflineQos0Sink = this;
            }
        }

        public BridgeOptions Options { get { return _o; } }

        /// <summary>The upstream side: the transport fills its ReceiveBuffer (at most RemoteWants bytes) and sends its TransmitBuffer.</summary>
        public MqttClient Remote { get { return _remote; } }

        public IBridgeLog Log;

        /// <summary>Messages handed to the upstream (out) and published locally (in).</summary>
        public int Forwarded;
        public int Received;

        /// <summary>Messages the other side refused although room was checked first (should stay 0; counted, not hidden).</summary>
        public int Dropped;

        public bool RemoteUp { get { return _remote.State == ClientState.Connected; } }

        /// <summary>The `conflate` table (null without a conflate line): its counters say what was held, replaced, sent and dropped.</summary>
        public ConflateTable Conflation { get { return _conflate; } }

        /// <summary>Lazy start: local messages wait for the upstream.</summary>
        public bool HasWaiting
        {
            get
            {
                if (_conflate != null && _conflate.Count > 0)
                {
                    return true;
                }

                if (_connection < 0)
                {
                    return false;
                }

                byte[] b;
                int off;
                return _engine.PendingOutput(_connection, out b, out off) > 0 || _engine.QueuedFor(_engine.SessionOf(_connection)) > 0;
            }
        }

        /// <summary>At start-up: a lazy bridge connects its local side at once, to learn when messages wait.</summary>
        public void Start(long nowMs)
        {
            _now = nowMs;
            if (_o.Start == BridgeStart.Lazy)
            {
                ConnectLocal();
            }
        }

        /// <summary>The transport has a TCP (or TLS) connection to the upstream: queue CONNECT.</summary>
        public void RemoteOpened(long nowMs)
        {
            _now = nowMs;
            _remoteView.ProtocolLevel = (byte)(_o.ProtocolLevel | (_flag == FlagOn ? Device.Protocol.ProtocolLevel.BridgeFlag : 0));
            _remote.Connect(_remoteView, _remoteSource, nowMs);
        }

        /// <summary>The upstream connection broke or was closed by the transport.</summary>
        public void RemoteLost(long nowMs)
        {
            _now = nowMs;
            bool wasConnecting = _remote.State == ClientState.Connecting;
            _remote.ConnectionLost();
            if (wasConnecting)
            {
                Unanswered();
            }
            else if (_flag == FlagOffAfterClose)
            {
                // A session without the bit has ended: the close that took the bit away may not have been about it.
                _flag = FlagOn;
            }

            GoOffline();
        }

        /// <summary>
        /// How many bytes the remote engine may take now (the transport reads no more than this): all its free room, so
        /// one read takes every ack the socket holds. A PUBLISH the local side cannot take yet is held unanswered in the
        /// buffer (TakesPublish), and once the buffer is full nothing more is read: TCP pushes back on the upstream.
        /// </summary>
        public int RemoteWants()
        {
            return _remote.ReceiveBuffer.Length - _remote.ReceiveCount;
        }

        /// <summary>The transport wrote count bytes at Remote.ReceiveBuffer[ReceiveCount..].</summary>
        public void RemoteReceived(int count, long nowMs)
        {
            _now = nowMs;
            _remote.Received(count, nowMs, this);
            ShuttleLocal();
        }

        /// <summary>
        /// Within a pass, after the transport sent the remote engine's output: moves what the engine has for the local
        /// side on into the room that made, so one pass forwards more than one transmit buffer's worth.
        /// </summary>
        public bool Feed()
        {
            if (_connection < 0)
            {
                return false;
            }

            bool busy = ShuttleLocal();
            busy |= FeedLocal();
            return busy;
        }

        /// <summary>IPublishGate: a PUBLISH is taken (and so acknowledged) only when the other side has room for it now.</summary>
        public bool TakesPublish(MqttClient client)
        {
            if (client == _remote)
            {
                return LocalReady();
            }

            // Held conflate readings go first (Service sends them before it feeds the local side): a message the local
            // client holds must not overtake them.
            return RemoteReady() && (_conflate == null || _conflate.Count == 0);
        }

        /// <summary>Every pass of the loop: moves bytes between the engine and the local client, drives both clients' time.</summary>
        public bool Service(long nowMs)
        {
            _now = nowMs;
            bool busy = false;
            if (_connection >= 0 && _engine.WantsClose(_connection))
            {
                // Cut by the engine (a stall cut-off, say): the session keeps its messages; connect again below.
                _engine.Closed(_connection, nowMs);
                _connection = -1;
                _local.ConnectionLost();
                busy = true;
            }

            if (RemoteUp)
            {
                _parked = false;
            }

            // With conflate the local side stays connected while the upstream is away (QoS 0 keeps coming to be conflated).
            if (_connection < 0 && (RemoteUp || _o.Start == BridgeStart.Lazy || (_conflate != null && !_parked)))
            {
                ConnectLocal();
                busy = true;
            }

            if (_conflate != null && _conflate.Count > 0)
            {
                busy |= SendHeld();
            }

            if (_connection >= 0)
            {
                busy |= ShuttleLocal();
                busy |= FeedLocal();
                _local.Tick(nowMs);
            }

            if (_remote.ReceiveCount > 0 && _remote.State != ClientState.Disconnected)
            {
                // A PUBLISH held for local room (TakesPublish), or processing paused for transmit room: go on.
                _remote.Received(0, nowMs, this);
                ShuttleLocal();
            }

            _remote.Tick(nowMs);
            return busy;
        }

        // ---- The local side -----------------------------------------------------------------------

        private void ConnectLocal()
        {
            _connection = _engine.AcceptInternal(_now);
            if (_connection < 0)
            {
                Say("no connection slot left for the bridge's local side");
                return;
            }

            _local.Connect(_localView, _localSource, _now);
            ShuttleLocal();
        }

        /// <summary>Engine output to the local client, one PUBLISH at a time and only while the upstream can take it.</summary>
        private bool FeedLocal()
        {
            bool busy = false;
            while (_connection >= 0)
            {
                byte[] buffer;
                int offset;
                int n = _engine.PendingOutput(_connection, out buffer, out offset);
                if (n > 0 && _conflate != null && _local.ReceiveCount == 0 && _local.State == ClientState.Connected)
                {
                    // At a packet boundary the engine's run holds whole packets: a QoS 0 PUBLISH to conflate is taken from there.
                    int taken = Absorb(buffer, offset, n);
                    if (taken > 0)
                    {
                        _engine.Sent(_connection, taken);
                        busy = true;
                        continue;
                    }

                    if (taken < 0)
                    {
                        Park();
                        return true;
                    }
                }

                if (n <= 0)
                {
                    return busy;
                }

                int want = LocalWant(buffer, offset, n);
                if (want <= 0)
                {
                    return busy;
                }

                int k = want < n ? want : n;
                System.Array.Copy(buffer, offset, _local.ReceiveBuffer, _local.ReceiveCount, k);
                _engine.Sent(_connection, k);
                _local.Received(k, _now, this);
                ShuttleLocal();
                busy = true;
            }

            return busy;
        }

        /// <summary>The local client's acks and `in` publishes into the engine.</summary>
        private bool ShuttleLocal()
        {
            bool busy = false;
            while (_connection >= 0 && _local.TransmitCount > 0)
            {
                int offset, free;
                byte[] rx = _engine.ReceiveBuffer(_connection, out offset, out free);
                int k = free < _local.TransmitCount ? free : _local.TransmitCount;
                if (k <= 0)
                {
                    break;
                }

                System.Array.Copy(_local.TransmitBuffer, 0, rx, offset, k);
                _local.Sent(k);
                _engine.Received(_connection, k, _now);
                busy = true;
            }

            if (_local.ReceiveCount > 0 && _local.State != ClientState.Disconnected)
            {
                // Processing may have paused for transmit room, or held a PUBLISH for the upstream's (TakesPublish).
                _local.Received(0, _now, this);
            }

            return busy;
        }

        private void GoOffline()
        {
            if (_o.Start == BridgeStart.Lazy)
            {
                // The lazy bridge's local side stays, so it learns when messages wait again.
                return;
            }

            if (_connection >= 0)
            {
                if (_o.Notifications && _local.State == ClientState.Connected)
                {
                    ushort id;
                    _local.Publish(_stateTopic, 0, _stateTopic.Length, _offline, 0, 1, 1, true, out id);
                    ShuttleLocal();
                }

                if (_conflate != null && _local.ReceiveCount == 0)
                {
                    // Conflate: the local side stays to take QoS 0 (Absorb); a QoS 1/2 message parks it (Park).
                    return;
                }

                // As a lost network connection: the session stays, with what the engine still owes it.
                CloseLocal();
                _parked = _conflate != null;
            }
        }

        private void CloseLocal()
        {
            _session = _engine.SessionOf(_connection);
            _engine.Closed(_connection, _now);
            _connection = -1;
            _local.ConnectionLost();
        }

        // ---- conflate (ConflateTable) ----------------------------------------------------------------

        /// <summary>
        /// The whole packet at buffer[offset..offset+n) heads the engine's output for the local side. Returns its length
        /// when it was taken here: a QoS 0 PUBLISH on a conflate topic while the upstream cannot take it now (or older
        /// ones of the table still wait: the newest must not overtake them), or any other QoS 0 while the upstream is away
        /// (dropped and counted, as without conflate; not with start_type lazy, where it waits to start the connection). 0: it goes through the local client as usual. -1: a QoS 1/2
        /// PUBLISH while the upstream is away: the local side must go offline so the session stores it (Park).
        /// </summary>
        private int Absorb(byte[] buffer, int offset, int n)
        {
            if (Framing.ReadHeader(buffer, offset, n, n, _peek) != DecodeResult.Ok || _peek.Type != PacketType.Publish || _peek.TotalLength > n)
            {
                return 0;
            }

            bool away = !RemoteUp;
            if ((_peek.Flags & 0x06) != 0)
            {
                return away && _o.Start != BridgeStart.Lazy ? -1 : 0;
            }

            if (!away && RemoteReady())
            {
                SendHeld();
                if (_conflate.Count == 0)
                {
                    return 0;
                }
            }

            int at = offset + _peek.HeaderLength;
            int topicLength = (buffer[at] << 8) | buffer[at + 1];
            int payload = at + 2 + topicLength;
            if (_conflate.Matches(buffer, at + 2, topicLength))
            {
                _conflate.Put(buffer, at + 2, topicLength, payload, offset + _peek.TotalLength - payload, (_peek.Flags & 0x01) != 0);
                return _peek.TotalLength;
            }

            if (away && _o.Start != BridgeStart.Lazy)
            {
                _conflate.DroppedAway++;
                return _peek.TotalLength;
            }

            // Slow: back-pressure as without conflate. Lazy and away: it waits, and its waiting starts the connection (HasWaiting).
            return 0;
        }

        /// <summary>Hands held messages to the upstream, oldest topic first, while it has room.</summary>
        private bool SendHeld()
        {
            bool busy = false;
            while (_conflate.Count > 0 && RemoteReady())
            {
                int slot = _conflate.Oldest;
                bool live = _conflate.Live(slot);
                if (live)
                {
                    byte[] data = _conflate.Data;
                    Forward(true, data, _conflate.TopicOffset(slot), _conflate.TopicLength(slot), _conflate.PayloadOffset(slot),
                        _conflate.PayloadLength(slot), 0, _conflate.Retain(slot));
                }

                _conflate.RemoveOldest(live);
                busy = true;
            }

            return busy;
        }

        /// <summary>The upstream is away and a QoS 1/2 message waits: offline, the session stores it and what follows, as without conflate.</summary>
        private void Park()
        {
            Say("upstream away and a QoS 1/2 message waits: the local session stores it (QoS 0 on conflate topics goes on into the table)");
            CloseLocal();
            _parked = true;
        }

        /// <summary>
        /// The engine's QoS 0 for an offline session (IOfflineQos0Sink). Parked, the local session is offline so that it
        /// stores QoS 1/2 for the absent upstream; the engine would drop the QoS 0 behind them, so a conflate topic's
        /// reading is kept in the table here instead (the newest per topic, sent once the upstream is back).
        /// </summary>
        public bool Offer(int session, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, bool retain)
        {
            if (session != _session || !_parked || _connection >= 0)
            {
                return _nextSink != null && _nextSink.Offer(session, src, topicOffset, topicLength, payloadOffset, payloadLength, retain);
            }

            if (!_conflate.Matches(src, topicOffset, topicLength))
            {
                // Not a conflate topic: dropped by the engine as without conflate (DroppedOfflineQos0).
                return false;
            }

            _conflate.Put(src, topicOffset, topicLength, payloadOffset, payloadLength, retain);
            return true;
        }

        /// <summary>One line at each reconnect: what conflate did so far (cumulative).</summary>
        private void SayConflation()
        {
            ConflateTable t = _conflate;
            Say("conflate: " + t.Count.ToString() + " topics held; so far " + t.Conflated.ToString() + " conflated, " + t.Superseded.ToString()
                + " replaced by a newer one, " + t.Sent.ToString() + " sent; dropped " + t.DroppedFull.ToString() + " (table full), "
                + t.DroppedOversize.ToString() + " (larger than a slot), " + t.DroppedAway.ToString() + " QoS 0 not conflated while the upstream was away");
        }

        // ---- Readiness ------------------------------------------------------------------------------

        private bool RemoteReady()
        {
            return _remote.State == ClientState.Connected && _remote.InflightCount < _o.InflightWindow
                && _remote.TransmitBuffer.Length - _remote.TransmitCount >= _o.MaxPacketSize + 8;
        }

        private bool LocalReady()
        {
            return _connection >= 0 && _local.State == ClientState.Connected && _local.InflightCount < _o.InflightWindow
                && _local.TransmitBuffer.Length - _local.TransmitCount >= _o.MaxPacketSize + 8;
        }

        /// <summary>
        /// Bytes of the engine's output (n at buffer[offset..]) the local client takes now: one whole packet at a time,
        /// in one copy when the client holds nothing (its header is read in the engine's output), else the rest of the
        /// packet it holds. One at a time, so what the local client holds is never more than the packet the upstream waits
        /// for (TakesPublish holds it), and the engine's output stays where conflate (Absorb) and the session see it.
        /// </summary>
        private int LocalWant(byte[] buffer, int offset, int n)
        {
            if (_local.ReceiveCount == 0 && Framing.ReadHeader(buffer, offset, n, _local.ReceiveBuffer.Length, _peek) == DecodeResult.Ok)
            {
                return _peek.TotalLength;
            }

            return Want(_local);
        }

        /// <summary>Bytes the client may take now: up to the end of the packet it is receiving (0: it holds a whole one).</summary>
        private int Want(MqttClient m)
        {
            int have = m.ReceiveCount;
            if (have < 2)
            {
                return 2 - have;
            }

            DecodeResult r = Framing.ReadHeader(m.ReceiveBuffer, 0, have, m.ReceiveBuffer.Length, _peek);
            if (r == DecodeResult.NeedMore)
            {
                return 1;
            }

            if (r != DecodeResult.Ok)
            {
                // Let the client see it and close.
                return 1;
            }

            return _peek.TotalLength - have;
        }

        // ---- IClientListener (both clients) -----------------------------------------------------------

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            ushort id;
            if (client == _local)
            {
                if (returnCode == 0 && _outFilters.Length > 0)
                {
                    // Every time, as Mosquitto does: a resumed session has them, a new one needs them.
                    _local.Subscribe(_outFilters, _outQos, _outFilters.Length, out id);
                }

                if (returnCode == 0 && _o.Notifications && RemoteUp)
                {
                    _local.Publish(_stateTopic, 0, _stateTopic.Length, _online, 0, 1, 1, true, out id);
                }

                return;
            }

            if (returnCode != 0)
            {
                if (returnCode == ConnectReturnCode.UnacceptableProtocolVersion && _flag == FlagOn)
                {
                    // The upstream does not know the bridge flag (it is not MQTT): try again without it, from now on
                    // (Mosquitto's handle__connack: try_private_accepted = false).
                    _flag = FlagOff;
                    Say("upstream refused the bridge protocol flag (try_private); retrying without it");
                }
                else
                {
                    Say("Connection Refused: " + Refusal(returnCode));
                }

                return;
            }

            Say("connected to upstream" + (_flag == FlagOn ? " (bridge flag accepted)" : ""));
            if (_conflate != null)
            {
                SayConflation();
            }

            if (_inFilters.Length > 0)
            {
                _remote.Subscribe(_inFilters, _inQos, _inFilters.Length, out id);
            }

            if (_o.Notifications)
            {
                _remote.Publish(_stateTopic, 0, _stateTopic.Length, _online, 0, 1, 1, true, out id);
                if (_connection >= 0 && _local.State == ClientState.Connected)
                {
                    _local.Publish(_stateTopic, 0, _stateTopic.Length, _online, 0, 1, 1, true, out id);
                    ShuttleLocal();
                }
            }
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView message)
        {
            Forward(client == _local, buffer, message.TopicOffset, message.TopicLength, message.PayloadOffset, message.PayloadLength,
                message.Qos, message.Retain);
        }

        /// <summary>Publishes a message to the other side under the first topic line that matches it, its prefix swapped.</summary>
        private void Forward(bool outgoing, byte[] buffer, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos, bool retain)
        {
            for (int i = 0; i < _o.TopicCount; i++)
            {
                BridgeTopic t = _o.Topics[i];
                byte[] filter = outgoing ? t.LocalFilter : t.RemoteFilter;
                byte[] from = outgoing ? t.LocalPrefix : t.RemotePrefix;
                byte[] to = outgoing ? t.RemotePrefix : t.LocalPrefix;
                if ((outgoing ? !t.Outgoing : !t.Incoming)
                    || !Topic.Matches(filter, 0, filter.Length, buffer, topicOffset, topicLength))
                {
                    continue;
                }

                // The pattern includes the prefix, so a match starts with it: swap the one prefix for the other.
                int rest = topicLength - from.Length;
                System.Array.Copy(to, 0, _topic, 0, to.Length);
                System.Array.Copy(buffer, topicOffset + from.Length, _topic, to.Length, rest);
                ushort id;
                MqttClient target = outgoing ? _remote : _local;
                ClientResult r = target.Publish(_topic, 0, to.Length + rest, buffer, payloadOffset, payloadLength, qos, retain, out id);
                if (r != ClientResult.Ok)
                {
                    Dropped++;
                }
                else if (outgoing)
                {
                    Forwarded++;
                }
                else
                {
                    Received++;
                }

                return;
            }
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength)
        {
            for (int i = 0; i < codesLength; i++)
            {
                if (buffer[codesOffset + i] == 0x80)
                {
                    Say((client == _local ? "local" : "upstream") + " broker refused bridge subscription " + (i + 1));
                }
            }
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            if (!acknowledged)
            {
                // Only the local side can still report one (its broker lost the session); the remote side publishes again
                // on a lost session (RepublishOnSessionLoss) instead of reporting its in-flight messages unacknowledged.
                Dropped++;
            }
        }

        public void Closed(MqttClient client, ClientError reason)
        {
            if (client == _local)
            {
                Say("local side closed: " + reason.ToString());
                return;
            }

            Say("upstream connection ended: " + reason.ToString());
        }

        public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header)
        {
        }

        // ---- Helpers ---------------------------------------------------------------------------------

        /// <summary>No CONNACK came: an upstream that does not know the bridge flag may just close; the next try goes without it, once (see _flag).</summary>
        private void Unanswered()
        {
            if (_flag == FlagOn)
            {
                _flag = FlagOffAfterClose;
                Say("upstream closed the connection before CONNACK; retrying without the bridge flag (try_private)");
            }
            else if (_flag == FlagOffAfterClose)
            {
                // No CONNACK without the bit either: the upstream (or the way to it) was away, not refusing the bit.
                _flag = FlagOn;
                Say("no CONNACK without the bridge flag either; the next attempt sends it again (try_private)");
            }
        }

        public void Say(string text)
        {
            if (Log != null)
            {
                Log.BridgeLine(_o.Name, text);
            }
        }

        private static string Refusal(byte code)
        {
            switch (code)
            {
                case 1: return "unacceptable protocol version";
                case 2: return "identifier rejected";
                case 3: return "broker unavailable";
                case 4: return "bad user name or password";
                case 5: return "not authorised";
                default: return "code " + code;
            }
        }

        private static int Max(int a, int b)
        {
            return a > b ? a : b;
        }

        private static byte[] Bytes(string s)
        {
            byte[] b = new byte[Utf8.ByteCount(s)];
            Utf8.Encode(s, b, 0);
            return b;
        }
    }
}
