using Device.Protocol;

namespace Device.Client
{
    /// <summary>
    /// An MQTT 3.1/3.1.1 client as a transport-independent _state machine (the pub/sub tools drive it over a
    /// socket; a broker-to-broker bridge on the board will drive it the same way). Bytes come in through
    /// ReceiveBuffer + Received, go out through TransmitBuffer + Sent, and Tick drives keep-alive, the CONNACK
    /// timeout and retries. Every buffer and table is allocated by the constructor; nothing per message.
    /// Single-threaded: the caller serialises every call.
    /// </summary>
    public sealed partial class MqttClient
    {
        /// <summary>Largest answer the engine writes while processing one received packet (PUBACK, PUBREC, PUBREL, PUBCOMP).</summary>
        private const int AckSize = 4;

        private readonly byte[] _rx;
        private readonly byte[] _tx;
        private readonly InflightTable _inflight;

        // What the codec decodes into, reused for every packet (on nanoCLR a struct would be a heap block per packet).
        // Emit has its own _header: it runs from inside a callback while a received packet's _header is still in use.
        private readonly FixedHeader _header = new FixedHeader();
        private readonly FixedHeader _traceHeader = new FixedHeader();
        private readonly PublishView _publishView = new PublishView();
        private readonly ConnackView _connackView = new ConnackView();
        private readonly SubackView _subackView = new SubackView();

        private int _rxCount;
        private int _txCount;
        private ClientState _state;
        private byte _protocolLevel;
        private bool _cleanSession;
        private int _keepAliveMs;
        private long _now;
        private long _connectSentAt;
        private long _lastSentAt;
        private bool _pingOutstanding;
        private long _pingSentAt;

        /// <param name="receiveBufferSize">Largest packet the server may send, _header included.</param>
        /// <param name="transmitBufferSize">Room for queued outgoing bytes; the largest packet that can be sent.</param>
        /// <param name="inflightWindow">QoS 1/2 publishes, SUBSCRIBEs and UNSUBSCRIBEs awaiting an answer at once.</param>
        /// <param name="storedPublishSize">Largest QoS 1/2 PUBLISH kept for redelivery (each slot reserves this much).</param>
        public MqttClient(int receiveBufferSize, int transmitBufferSize, int inflightWindow, int storedPublishSize, IClientListener listener)
        {
            _rx = new byte[receiveBufferSize];
            _tx = new byte[transmitBufferSize];
            _inflight = new InflightTable(inflightWindow, storedPublishSize);
            _inboundQos2 = new ushort[InboundQos2Capacity];
            Listener = listener;
            ConnackTimeoutMs = 30000;
        }

        public ClientState State { get { return _state; } }

        /// <summary>Receives the engine's events; may be set after construction (e.g. by a transport driver).</summary>
        public IClientListener Listener;

        /// <summary>Write received bytes at ReceiveBuffer[ReceiveCount..], then call Received.</summary>
        public byte[] ReceiveBuffer { get { return _rx; } }

        /// <summary>Bytes held in ReceiveBuffer that do not yet form a whole packet (or wait for transmit room).</summary>
        public int ReceiveCount { get { return _rxCount; } }

        /// <summary>Send TransmitBuffer[0..TransmitCount), then report what went out with Sent.</summary>
        public byte[] TransmitBuffer { get { return _tx; } }

        public int TransmitCount { get { return _txCount; } }

        /// <summary>In-flight slots taken (publishes awaiting acknowledgement, SUBSCRIBE, UNSUBSCRIBE).</summary>
        public int InflightCount { get { return _inflight.Used; } }

        /// <summary>Why the last received packet was rejected, when Closed reported MalformedPacket.</summary>
        public DecodeResult LastDecodeResult;

        /// <summary>Give up when no CONNACK arrives this long after Connect.</summary>
        public int ConnackTimeoutMs;

        /// <summary>
        /// Resend an unacknowledged PUBLISH (DUP set) or PUBREL after this long on the same connection; 0 (the
        /// default) resends only after a reconnect, which is all MQTT 3.1.1 requires ([MQTT-4.4.0-1]).
        /// </summary>
        public int RetryIntervalMs;

        /// <summary>Report every packet through IClientListener.PacketTraced.</summary>
        public bool TraceEnabled;

        /// <summary>
        /// A persistent session the server no longer has (CONNACK session present 0, say after the server was killed):
        /// false (the default) discards the in-flight publishes as 3.2.2.2 lets a client do (reported to
        /// PublishFinished as not acknowledged); true publishes them again on the new session, oldest first, QoS 2
        /// from its PUBLISH even when its PUBREC had come (the server that sent it is gone with its state). The bridge
        /// sets it: what it took from local publishers must reach the upstream at least once.
        /// </summary>
        public bool RepublishOnSessionLoss;

        /// <summary>
        /// Starts a connection on a fresh transport: clears both buffers and queues CONNECT. view's (offset, length)
        /// fields index source (see ConnectOptions.Build). A clean session drops the previous session's in-flight _state.
        /// </summary>
        public ClientResult Connect(ConnectView view, byte[] source, long nowMs)
        {
            if (_state != ClientState.Disconnected)
            {
                return ClientResult.WrongState;
            }

            if (view.HasWill && view.WillQos > 2)
            {
                return ClientResult.InvalidQos;
            }

            if (view.HasWill && Topic.ValidateName(source, view.WillTopicOffset, view.WillTopicLength) != DecodeResult.Ok)
            {
                return ClientResult.InvalidTopic;
            }

            _now = nowMs;
            _rxCount = 0;
            _txCount = 0;
            int n = ConnectPacket.Encode(_tx, 0, _tx.Length, view, source);
            if (n < 0)
            {
                return ClientResult.TooLarge;
            }

            _protocolLevel = (byte)(view.ProtocolLevel & 0x7F);
            _cleanSession = view.CleanSession;
            _keepAliveMs = view.KeepAlive * 1000;
            _pingOutstanding = false;
            // With RepublishOnSessionLoss a clean session keeps the in-flight copies: the CONNACK (session present 0,
            // [MQTT-3.2.2-1]) then sends them again as new publishes instead of reporting them lost.
            if (_cleanSession && !RepublishOnSessionLoss)
            {
                DropSession();
            }

            _state = ClientState.Connecting;
            _connectSentAt = nowMs;
            Emit(n);
            return ClientResult.Ok;
        }

        /// <summary>
        /// Queues a PUBLISH. For QoS 1/2 packetId names it in PublishFinished; QoS 0 is done once sent.
        /// </summary>
        public ClientResult Publish(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength,
            byte qos, bool retain, out ushort packetId)
        {
            packetId = 0;
            if (_state != ClientState.Connected)
            {
                return ClientResult.WrongState;
            }

            if (qos > 2)
            {
                return ClientResult.InvalidQos;
            }

            if (topic == null || (payload == null && payloadLength != 0) || topicLength > 65535)
            {
                return ClientResult.InvalidArgument;
            }

            if (Topic.ValidateName(topic, topicOffset, topicLength) != DecodeResult.Ok)
            {
                return ClientResult.InvalidTopic;
            }

            int size = Framing.PacketSize(2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength);
            if (size > _tx.Length || (qos > 0 && size > _inflight.SlotSize))
            {
                return ClientResult.TooLarge;
            }

            if (size > _tx.Length - _txCount)
            {
                return ClientResult.TransmitBufferFull;
            }

            int slot = -1;
            if (qos > 0)
            {
                slot = _inflight.FindFree();
                if (slot < 0)
                {
                    return ClientResult.InflightFull;
                }

                packetId = _inflight.NextPacketId();
            }

            int n = PublishPacket.Encode(_tx, _txCount, _tx.Length - _txCount, qos, false, retain, packetId,
                topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
            if (slot >= 0)
            {
                _inflight.Take(slot, packetId, qos == 1 ? InflightTable.AwaitPuback : InflightTable.AwaitPubrec, n, _now);
                System.Array.Copy(_tx, _txCount, _inflight.Store, slot * _inflight.SlotSize, n);
            }

            Emit(n);
            return ClientResult.Ok;
        }

        /// <summary>
        /// Queues DISCONNECT (the server then discards the will) and becomes Disconnected: drain TransmitBuffer,
        /// then close the transport. Unacknowledged publishes stay for the next Connect of a persistent session.
        /// </summary>
        public ClientResult Disconnect()
        {
            if (_state == ClientState.Disconnected)
            {
                return ClientResult.WrongState;
            }

            if (_tx.Length - _txCount < EmptyPacket.Size)
            {
                return ClientResult.TransmitBufferFull;
            }

            Emit(EmptyPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Disconnect));
            EndConnection();
            return ClientResult.Ok;
        }

        /// <summary>
        /// The transport broke or was closed by the caller. No callback: the caller knows. Queued bytes are
        /// discarded; a persistent session's publishes are redelivered after the next Connect.
        /// </summary>
        public void ConnectionLost()
        {
            EndConnection();
            _txCount = 0;
            _rxCount = 0;
        }

        /// <summary>count bytes from the start of TransmitBuffer went out.</summary>
        public void Sent(int count)
        {
            if (count <= 0)
            {
                return;
            }

            if (count >= _txCount)
            {
                _txCount = 0;
                return;
            }

            System.Array.Copy(_tx, count, _tx, 0, _txCount - count);
            _txCount -= count;
        }

        /// <summary>Drives time: CONNACK timeout, PINGREQ when nothing was sent for a keep-alive period, retries.</summary>
        public void Tick(long nowMs)
        {
            _now = nowMs;
            if (_state == ClientState.Connecting)
            {
                if (nowMs - _connectSentAt >= ConnackTimeoutMs)
                {
                    Fail(ClientError.ConnackTimeout);
                }

                return;
            }

            if (_state != ClientState.Connected)
            {
                return;
            }

            if (_keepAliveMs > 0)
            {
                if (_pingOutstanding)
                {
                    if (nowMs - _pingSentAt >= _keepAliveMs)
                    {
                        Fail(ClientError.KeepAliveTimeout);
                        return;
                    }
                }
                else if (nowMs - _lastSentAt >= _keepAliveMs && _tx.Length - _txCount >= EmptyPacket.Size)
                {
                    Emit(EmptyPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Pingreq));
                    _pingOutstanding = true;
                    _pingSentAt = nowMs;
                }
            }

            if (RetryIntervalMs > 0)
            {
                for (int i = 0; i < _inflight.Capacity; i++)
                {
                    if (InflightTable.IsPublish(_inflight.Kinds[i]) && nowMs - _inflight.SentAt[i] >= RetryIntervalMs)
                    {
                        _inflight.Resend[i] = true;
                    }
                }
            }

            FlushResends();
        }

        /// <summary>Accounts for a packet just encoded at TransmitBuffer[TransmitCount].</summary>
        private void Emit(int written)
        {
            if (TraceEnabled && Listener != null)
            {
                Framing.ReadHeader(_tx, _txCount, written, 0, _traceHeader);
                Listener.PacketTraced(this, true, _tx, _txCount, _traceHeader);
            }

            _txCount += written;
            _lastSentAt = _now;
        }

        private void Fail(ClientError reason)
        {
            EndConnection();
            if (Listener != null)
            {
                Listener.Closed(this, reason);
            }
        }
    }
}
