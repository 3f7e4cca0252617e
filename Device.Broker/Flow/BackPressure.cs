using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The flow-control policy, in one place (see docs/ARCHITECTURE.md, "Memory and flow control"):
    /// <list type="bullet">
    /// <item>Nothing for a connected subscriber is dropped for lack of room. A PUBLISH is taken only when
    /// every such delivery can be placed: sent now, or queued within the session's limits
    /// (MaxQueuedMessages/Bytes and a quarter of the pool) and the pool's room. Otherwise the PUBLISH stays in
    /// the receive buffer unanswered (no PUBACK/PUBREC), the transport stops reading that socket once the buffer
    /// is full, and TCP slows the publisher. Held publishers are retried, longest-held first, whenever room frees.</item>
    /// <item>While a publisher is held, its acknowledgements and PINGREQs behind the held PUBLISH are still taken,
    /// so a client that both publishes and subscribes cannot lock itself, and a QoS 2 publisher whose id table is
    /// full gets its PUBRELs read ([MQTT-4.3.3-2]: the table never forgets an unreleased id).</item>
    /// <item>Stall cut-off: at each Tick every held publisher is retried and the subscribers holding it back are
    /// found; one that has taken nothing for StallTimeoutMs is disconnected (CloseReason.Stalled, counted), its
    /// persistent session keeping what the offline limits allow. A subscriber that keeps reading, however slowly,
    /// paces the publishers of its topics instead (that is back-pressure).</item>
    /// <item>QoS 0 for a connected subscriber is placed like QoS 1/2 (issue 10, "nothing quietly dropped"): written
    /// at once, or queued within the same limits; otherwise its PUBLISH is held the same way, and the same stall
    /// cut-off frees its publisher from a subscriber that takes nothing. QoS 0 is dropped (counted per reason) only
    /// where nobody can be held: offline sessions (below) and the engine's own sources (wills, retained copies on
    /// subscribe) when there is no room.</item>
    /// <item>Offline persistent sessions queue under MaxQueuedMessages/MaxQueuedBytes, QoS 0 only with
    /// QueueQos0Messages, and together within half the pool (so they can never hold the connected ones back);
    /// beyond that the newest is dropped, counted.</item>
    /// </list>
    /// </summary>
    public sealed partial class BrokerEngine
    {
        /// <summary>A connected session may queue at most this fraction (1/n) of the pool's entries and bytes.</summary>
        private const int SessionShare = 4;

        /// <summary>Offline sessions may only queue while the pool is less than 1/n used.</summary>
        private const int OfflineShare = 2;

        private readonly Holds _holds;

        // Set whenever room may have freed (bytes sent, an ack, a session gone); held publishers are retried then.
        private bool _roomFreed;
        private bool _retrying;

        // The reason of the last failed placement, and the deliveries it has promised to place (reserved
        // entries the optional ones must leave alone).
        private byte _holdReason;
        private int _reserved;

        /// <summary>
        /// Whether a message matched to the sessions in the route scratch can be placed for every connected
        /// subscriber, at whatever QoS it gets it (QoS 0 too since issue 10's QoS 0 item). When not, sets _holdReason, and with blame marks the subscribers
        /// that hold it back and have taken nothing for the stall time.
        /// </summary>
        private bool Placeable(int touched, byte qos, byte[] src, int topicOffset, int topicLength, int payloadLength, bool blame, bool stored)
        {
            int length = topicLength + payloadLength;
            int needed = 0;
            bool blocked = false;
            for (int k = 0; k < touched; k++)
            {
                int s = _routeTouched[k];
                byte granted = _routeQos[s];
                byte q = qos < granted && !_options.UpgradeOutgoingQos ? qos : granted;
                int c = _sessions.Connection(s);
                if (c < 0 || (SessionAcl(s).Enabled && !CanRead(s, src, topicOffset, topicLength)))
                {
                    continue;
                }

                // QoS 0 (issue 10) is held for like QoS 1/2, but written now it needs nothing from the pool. The
                // room checked includes the publisher's own ack: it goes first, and the publisher may be this subscriber.
                if (q == 0 && _deliveries.QueuedCount(s) == 0
                    && _connections.TxCanClaim(c, PublishSize(topicLength, payloadLength, 0) + (qos > 0 ? AckPacket.Size : 0)))
                {
                    continue;
                }

                needed++;
                if ((q == 0 || !CanSendNow(s, c, q, topicLength, payloadLength)) && !QueueHasRoom(s, length))
                {
                    blocked = true;
                    if (blame)
                    {
                        Blame(c);
                    }
                }
            }

            if (blocked)
            {
                _holdReason = Holds.QueueFull;
                return false;
            }

            // A local Publish has stored its message already (stored): only the entries are still needed.
            if (needed > 0 && ((!stored && !_pool.CanStore(length)) || _deliveries.Available < needed))
            {
                _holdReason = Holds.PoolFull;
                if (blame)
                {
                    BlameBiggest();
                }

                return false;
            }

            _reserved = needed;
            return true;
        }

        /// <summary>A delivery at QoS q can go out now: nothing queued ahead of it, window and transmit buffer have room.</summary>
        private bool CanSendNow(int s, int c, byte q, int topicLength, int payloadLength)
        {
            return _deliveries.QueuedCount(s) == 0 && (q == 0 || _deliveries.Inflight(s) < _options.InflightPerSession)
                && _connections.TxCanClaim(c, PublishSize(topicLength, payloadLength, q));
        }

        /// <summary>A connected session's queue may take one more message of this many bytes.</summary>
        private bool QueueHasRoom(int s, int length)
        {
            int queued = _deliveries.QueuedCount(s);
            int bytes = _deliveries.QueuedBytes(s) + length;
            int shareBytes = _pool.ByteLimit / SessionShare;
            if (shareBytes < _maxPacket)
            {
                // Always room for one message of the largest size.
                shareBytes = _maxPacket;
            }

            return queued < _options.MaxQueuedMessages && (_options.MaxQueuedBytes == 0 || bytes <= _options.MaxQueuedBytes)
                && queued < _deliveries.Capacity / SessionShare && bytes <= shareBytes;
        }

        /// <summary>An offline session's queue may take one more message (its own limits only; the pool share is checked on storing).</summary>
        private bool OfflineHasRoom(int s, int length)
        {
            return _deliveries.QueuedCount(s) < _options.MaxQueuedMessages
                && (_options.MaxQueuedBytes == 0 || _deliveries.QueuedBytes(s) + length <= _options.MaxQueuedBytes);
        }

        /// <summary>Connection c holds a publisher back: when it has taken nothing for the stall time it is cut at the end of the Tick.</summary>
        private void Blame(int c)
        {
            if (_now - _holds.Progress(c) >= _options.StallTimeoutMs)
            {
                _holds.MarkStalled(c);
            }
        }

        /// <summary>The pool is full: the connected session holding most of it is the one to blame.</summary>
        private void BlameBiggest()
        {
            int best = -1;
            int most = 0;
            for (int s = 0; s < _sessions.Capacity; s++)
            {
                if (_sessions.InUse(s) && _sessions.Connection(s) >= 0 && _deliveries.Count(s) > most)
                {
                    most = _deliveries.Count(s);
                    best = s;
                }
            }

            if (best >= 0)
            {
                Blame(_sessions.Connection(best));
            }
        }

        /// <summary>The head PUBLISH of connection c cannot be placed: keep it and remember c for a retry.</summary>
        private void Hold(int c)
        {
            if (_holds.Hold(c, _holdReason))
            {
                _counters.PublishesHeld++;
                if (_holdReason == Holds.PoolFull)
                {
                    _counters.HeldPoolFull++;
                }
                else if (_holdReason == Holds.QueueFull)
                {
                    _counters.HeldQueueFull++;
                }
                else
                {
                    _counters.HeldQos2Ids++;
                }
            }

        }

        /// <summary>
        /// Gives held publishers another try, longest-held first. After an event (bytes sent, an ack) the round ends
        /// at the first publisher still held, which goes to the back of the line; at a Tick (blame) every held
        /// publisher is tried, so the subscribers holding each one back are found.
        /// </summary>
        private void RetryHeld(bool tick)
        {
            if (_retrying)
            {
                return;
            }

            _retrying = true;
            _roomFreed = false;
            int rounds = _holds.RingCount;
            _blaming = tick;
            for (int i = 0; i < rounds; i++)
            {
                int c = _holds.Next();
                if (c < 0)
                {
                    break;
                }

                if (!_holds.IsHeld(c) || _connections.State(c) != Connections.Connected)
                {
                    _holds.Release(c);
                    continue;
                }

                Process(c);
                if (_connections.Pool != null)
                {
                    // Its receive room may have opened: the transport reads it again without polling every held one.
                    _connections.Pool.Wake(c);
                }

                if (!tick && _holds.IsHeld(c))
                {
                    break;
                }
            }

            _blaming = false;
            _retrying = false;
        }

        // Whether placements made now blame the subscribers that fail them (only in the Tick's retry round).
        private bool _blaming;

        /// <summary>Runs at the end of each seam call that may have freed room.</summary>
        private void AfterRoomFreed()
        {
            if (_roomFreed && _holds.Count > 0)
            {
                RetryHeld(false);
            }
        }

        /// <summary>At the end of a Tick: disconnect the subscribers found stalled while holding a publisher back.</summary>
        private void CutStalled()
        {
            for (int c = 0; c < _connections.Count; c++)
            {
                if (_holds.IsStalled(c))
                {
                    _holds.Reset(c, _now);
                    if (_connections.State(c) == Connections.Connected)
                    {
                        _counters.StalledDisconnects++;
                        Close(c, CloseReason.Stalled, true);
                        _roomFreed = true;
                    }
                }
            }
        }

        /// <summary>A persistent session's client went away: its queue keeps what the offline limits allow.</summary>
        private void TrimOffline(int s)
        {
            int qos0;
            int over;
            _deliveries.TrimQueued(s, _pool, _options.MaxQueuedMessages, _options.MaxQueuedBytes, _options.QueueQos0Messages, out qos0, out over);
            if (qos0 > 0)
            {
                _counters.DroppedOfflineQos0 += qos0;
                _counters.MessagesDropped += qos0;
            }

            if (over > 0)
            {
                _counters.DroppedQueueFull += over;
                _counters.MessagesDropped += over;
            }

        }

        private ushort AckId(int c, int at)
        {
            byte[] rx = _connections.RxArray(c);
            return (ushort)((rx[at] << 8) | rx[at + 1]);
        }

        /// <summary>
        /// Whether a QoS 2 PUBLISH with this packet id waits in c's buffer before offset to (the held head
        /// included): a PUBREL must not overtake it, or the PUBLISH would then look new and be routed twice.
        /// </summary>
        private bool Qos2PublishBefore(int c, int to, ushort packetId)
        {
            byte[] rx = _connections.RxArray(c);
            int pos = _connections.RxStart(c);
            while (pos < to)
            {
                FixedHeader h = _scanHeader;
                if (Framing.ReadHeader(rx, pos, to - pos, _maxPacket, h) != DecodeResult.Ok)
                {
                    return true;
                }

                if (h.Type == PacketType.Publish && ((h.Flags >> 1) & 0x03) == 2 && h.RemainingLength >= 4)
                {
                    int at = pos + h.HeaderLength;
                    int topicLength = (rx[at] << 8) | rx[at + 1];
                    if (topicLength + 4 <= h.RemainingLength && AckId(c, at + 2 + topicLength) == packetId)
                    {
                        return true;
                    }
                }

                pos += h.TotalLength;
            }

            return false;
        }

        /// <summary>
        /// The head packet of c is held: take the acknowledgements and PINGREQs behind it that can be answered
        /// now. Their order relative to the held PUBLISH does not matter: they belong to other flows, and an ack
        /// behind a held PUBLISH of the same id would be the client's own protocol error.
        /// </summary>
        private bool TakeAcksBehind(int c, int from)
        {
            int end = _connections.RxStart(c) + _connections.RxCount(c);
            int pos = from;
            bool took = false;
            while (pos < end)
            {
                FixedHeader h = _behindHeader;
                DecodeResult r = Framing.ReadHeader(_connections.RxArray(c), pos, end - pos, _maxPacket, h);
                if (r != DecodeResult.Ok || h.TotalLength > end - pos)
                {
                    // Incomplete or bad: dealt with when it reaches the head.
                    return took;
                }

                int length = h.TotalLength;
                byte type = h.Type;
                bool ack = type == PacketType.Puback || type == PacketType.Pubrec || type == PacketType.Pubrel
                    || type == PacketType.Pubcomp || type == PacketType.Pingreq;
                if (ack && _connections.TxCanClaim(c, ReplyRoom(h))
                    && !(type == PacketType.Pubrel && Qos2PublishBefore(c, pos, AckId(c, pos + h.HeaderLength))))
                {
                    Dispatch(c, pos, h);
                    took = true;
                    if (_connections.State(c) != Connections.Connected)
                    {
                        return false;
                    }

                    _connections.RxCut(c, pos, length);
                    end -= length;
                    continue;
                }

                pos += length;
            }

            return took;
        }
    }
}
