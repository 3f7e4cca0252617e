using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// From one published message to the sessions that receive it.
    /// Match finds every session with a matching subscription and the highest QoS it was granted among them
    /// (one copy per client, [MQTT-3.3.5-1]); DeliverMatched then hands it to each at min(published, granted):
    /// written into the client's transmit buffer at once when nothing is queued ahead of it (QoS 1/2 also need
    /// a free in-flight slot of the window), otherwise queued in the shared pool (Flow/Deliveries). A message is
    /// stored once in the MessagePool however many sessions get it. Whether a QoS 1/2 PUBLISH may be taken at all
    /// is decided before, by Flow/BackPressure's Placeable, for QoS 0 too (issue 10); what fails here is only what
    /// the policy lets go (offline sessions, wills and retained copies: nobody to hold), each counted. Pump moves a queue on as acks free the
    /// window and the transport drains the buffer.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        /// <summary>Fills the route scratch with the matching sessions and their granted QoS; returns how many.</summary>
        private int Match(byte[] src, int topicOffset, int topicLength)
        {
            // The scan over every subscription runs inside the store: one call, not four per subscription.
            return _subscriptions.Match(src, topicOffset, topicLength, _routeQos, _routeTouched);
        }

        /// <summary>The retain flag of the PUBLISH being routed, kept only towards bridges (Mosquitto: retain as published).</summary>
        private bool _routeRetain;

        /// <summary>A connection that came with ProtocolLevel.BridgeFlag (Mosquitto's try_private).</summary>
        private bool IsBridge(int c)
        {
            return (_connections.Level(c) & ProtocolLevel.BridgeFlag) != 0;
        }

        /// <summary>
        /// Takes the publishing bridge's own session out of the match: a bridge never gets its own messages back,
        /// which is what stops a message from circulating between bridged brokers (Mosquitto does the same).
        /// </summary>
        private int Unmatch(int s, int touched)
        {
            if (_routeQos[s] == NoRoute)
            {
                return touched;
            }

            _routeQos[s] = NoRoute;
            for (int k = 0; k < touched; k++)
            {
                if (_routeTouched[k] == s)
                {
                    _routeTouched[k] = _routeTouched[touched - 1];
                    return touched - 1;
                }
            }

            return touched;
        }

        /// <summary>Forgets a match that will not be delivered now (the PUBLISH is held).</summary>
        private void ClearMatch(int touched)
        {
            for (int k = 0; k < touched; k++)
            {
                _routeQos[_routeTouched[k]] = NoRoute;
            }
        }

        /// <summary>Routes a message nobody can be held for (a will): what cannot be placed is dropped, counted.</summary>
        private void Route(byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            int touched = Match(src, topicOffset, topicLength);
            _reserved = 0;
            if (_embed != null)
            {
                DeliverLocal(src, topicOffset, topicLength, payloadOffset, payloadLength, qos, false);
            }

            DeliverMatched(touched, src, topicOffset, topicLength, payloadOffset, payloadLength, qos, -1, false);
        }

        /// <summary>
        /// Hands a matched message to each session. message is its pool record when the caller stored it already
        /// (a local Publish: the router's reference), or -1: then it is stored on first need. placed: Placeable
        /// vouched for every connected subscriber (a PUBLISH or a local Publish, whose source can be held), so a QoS 0
        /// one that must wait is queued as promised; false for a will, whose QoS 0 copies take only what is left.
        /// </summary>
        private void DeliverMatched(int touched, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos, int message, bool placed)
        {
            int length = topicLength + payloadLength;
            // A QoS 0 forward is the same bytes for every subscriber (no packet id, retain 0 [MQTT-3.3.1-9], no DUP):
            // encoded once into the first subscriber's transmit buffer, then copied from there (one Array.Copy each).
            int qos0Size = 0;
            int qos0At = -1;
            byte[] qos0Tx = null;
            for (int k = 0; k < touched; k++)
            {
                int s = _routeTouched[k];
                byte granted = _routeQos[s];
                _routeQos[s] = NoRoute;
                // upgrade_outgoing_qos delivers at the granted QoS whatever the published one.
                byte q = qos < granted && !_options.UpgradeOutgoingQos ? qos : granted;
                // SessionAcl(s) written out: this runs per subscriber of every routed message.
                Acl acl = _sessionListener == null ? _aclOf[0] : _aclOf[_sessionListener[s]];
                if (acl.Enabled && !acl.CanRead(_sessions, s, src, topicOffset, topicLength))
                {
                    _counters.AclDeniedRead++;
                    continue;
                }

                int c = _sessions.Connection(s);
                // Towards a bridge the retain flag is kept as published (Mosquitto); Level(c) only read for a retained message.
                bool retain = _routeRetain && c >= 0 && IsBridge(c);
                if (q == 0)
                {
                    // CanSendNow for QoS 0, written out: nothing queued ahead of it, and the claim itself is the room check.
                    if (c >= 0 && _deliveries.QueuedCount(s) == 0)
                    {
                        if (retain)
                        {
                            // Not the shared copy: these bytes carry retain 1.
                            if (WritePublish(c, src, topicOffset, topicLength, payloadOffset, payloadLength, 0, false, true, 0))
                            {
                                continue;
                            }
                        }
                        else
                        {
                            if (qos0Size == 0)
                            {
                                qos0Size = PublishSize(topicLength, payloadLength, 0);
                            }

                            int at = _connections.TxClaim(c, qos0Size);
                            if (at >= 0)
                            {
                                // Fixed buffers (the board) are one array; grown ones (the PC, issue 10) one per connection.
                                byte[] tx = _connections.Tx ?? _connections.TxArray(c);
                                if (qos0At < 0)
                                {
                                    qos0Tx = tx;
                                    PublishPacket.Encode(tx, at, qos0Size, 0, false, false, 0,
                                        src, topicOffset, topicLength, src, payloadOffset, payloadLength);
                                    qos0At = at;
                                }
                                else
                                {
                                    System.Array.Copy(qos0Tx, qos0At, tx, at, qos0Size);
                                }

                                _counters.MessagesSent++;
                                continue;
                            }
                        }
                    }
                }
                else if (c >= 0 && CanSendNow(s, c, q, topicLength, payloadLength))
                {
                    if (message < 0)
                    {
                        message = _pool.Add(src, topicOffset, topicLength, src, payloadOffset, payloadLength);
                    }

                    if (message < 0 || _deliveries.Available == 0)
                    {
                        // Only a will or a retained copy gets here: a PUBLISH was checked by Placeable first.
                        Drop(ref _counters.DroppedPoolFull);
                        continue;
                    }

                    _reserved--;
                    _pool.AddRef(message);
                    int e = _deliveries.AddInflight(s, message, q == 1 ? Deliveries.AwaitPuback : Deliveries.AwaitPubrec, retain);
                    // Cannot fail after CanSendNow; if it did, the entry stays pending and Pump sends it again.
                    _deliveries.SetPending(e, !WriteStored(c, message, q, false, retain, _deliveries.PacketId(e)));
                    continue;
                }

                // QoS 0 to a connected subscriber is mandatory too when its source could be held (issue 10).
                bool mandatory = c >= 0 && (q > 0 || placed);
                if (mandatory)
                {
                    _reserved--;
                }

                Queue(s, c, ref message, src, topicOffset, topicLength, payloadOffset, payloadLength, length, q, retain, mandatory);
            }

            if (message >= 0)
            {
                // The router's own reference: the message lives on only in the sessions that took it.
                _pool.Release(message);
            }
        }

        private IOfflineQos0Sink _offlineQos0;

        /// <summary>Who may take the QoS 0 messages for away sessions that would be dropped (null: none; a bridge with conflate sets itself).</summary>
        public IOfflineQos0Sink OfflineQos0Sink
        {
            get { return _offlineQos0; }
            set { _offlineQos0 = value; }
        }

        /// <summary>
        /// Queues a delivery for session s (connection c, -1 when away), storing the message on first use.
        /// A mandatory one (QoS 1/2 to a connected client) was promised room by Placeable; the others take what is
        /// left after the entries still promised, and are dropped and counted otherwise.
        /// </summary>
        private void Queue(int s, int c, ref int message, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            int length, byte q, bool retain, bool mandatory)
        {
            if (c < 0 && q == 0 && !_options.QueueQos0Messages)
            {
                // Mosquitto's default: QoS 0 is not kept for a client that is away; unless a bridge's conflate table
                // keeps the newest per topic for its offline local session (IOfflineQos0Sink). Only a bridge's session
                // is offered: a slot that expired and went to a client (HandleConnect rewrites the mark) never is.
                if (_offlineQos0 == null || !_sessions.IsBridge(s)
                    || !_offlineQos0.Offer(s, src, topicOffset, topicLength, payloadOffset, payloadLength, retain))
                {
                    Drop(ref _counters.DroppedOfflineQos0);
                }

                return;
            }

            if (c >= 0 ? !QueueHasRoom(s, length) && !mandatory : !OfflineHasRoom(s, length))
            {
                Drop(ref _counters.DroppedQueueFull);
                return;
            }

            int spare = mandatory ? 0 : _reserved;
            if (c < 0 && _deliveries.Used >= _deliveries.Capacity / OfflineShare)
            {
                Drop(ref _counters.DroppedPoolFull);
                return;
            }

            if (message < 0)
            {
                bool fits = c < 0 ? _pool.CanStoreWithin(length, OfflineShare) : _pool.CanStore(length);
                message = fits ? _pool.Add(src, topicOffset, topicLength, src, payloadOffset, payloadLength) : -1;
            }

            if (message < 0 || _deliveries.Available <= spare)
            {
                Drop(ref _counters.DroppedPoolFull);
                return;
            }

            if (_deliveries.Count(s) == 0 && c >= 0)
            {
                // It starts to be owed something: its stall clock starts now.
                _holds.SetProgress(c, _now);
            }

            _deliveries.Enqueue(s, message, q, retain, length);
            _pool.AddRef(message);
        }

        /// <summary>
        /// Sends what session s owes its client, oldest first: resends after a reconnect (PUBLISH with DUP,
        /// [MQTT-4.4.0-1]; PUBREL), then queued messages while the window and the buffer have room.
        /// </summary>
        private void Pump(int s)
        {
            int c = _sessions.Connection(s);
            if (c < 0)
            {
                return;
            }

            while (true)
            {
                int e = _deliveries.NextPending(s);
                if (e < 0)
                {
                    break;
                }

                bool written = _deliveries.State(e) == Deliveries.AwaitPubcomp
                    ? WriteAck(c, PacketType.Pubrel, _deliveries.PacketId(e))
                    : WriteStored(c, _deliveries.Message(e), _deliveries.Qos(e), true, _deliveries.Retain(e), _deliveries.PacketId(e));
                if (!written)
                {
                    return;
                }

                _deliveries.SetPending(e, false);
            }

            while (true)
            {
                int e = _deliveries.FirstQueued(s);
                if (e < 0)
                {
                    break;
                }

                int message = _deliveries.Message(e);
                byte qos = _deliveries.Qos(e);
                bool retain = _deliveries.Retain(e);
                int bytes = _pool.Length(message);
                if (qos == 0)
                {
                    if (!WriteStored(c, message, 0, false, retain, 0))
                    {
                        break;
                    }

                    _deliveries.RemoveQueued(s, e, bytes);
                    _pool.Release(message);
                    _roomFreed = true;
                    continue;
                }

                if (_deliveries.Inflight(s) >= _options.InflightPerSession || !CanWriteStored(c, message, qos))
                {
                    break;
                }

                // The queued entry joins the in-flight prefix, keeping its message reference.
                _deliveries.Promote(s, bytes);
                _roomFreed = true;
                _deliveries.SetPending(e, !WriteStored(c, message, qos, false, retain, _deliveries.PacketId(e)));
            }
        }

        /// <summary>
        /// The retained messages matching a new subscription, with the retain flag set ([MQTT-3.3.1-6]), at
        /// min(stored QoS, granted). QoS 0 ones that do not fit the buffer now wait in the queue like the others.
        /// </summary>
        private void SendRetained(int c, int s, byte[] filter, int filterOffset, int filterLength, byte granted)
        {
            byte[] data = _retained.Data;
            // Counting down: the retained set cannot change here, and the order of retained messages is not a promise.
            for (int k = _retained.Count - 1; k >= 0; k--)
            {
                int i = _retained.At(k);
                int topic = _retained.TopicOffset(i);
                int topicLength = _retained.TopicLength(i);
                if (!Topic.Matches(filter, filterOffset, filterLength, data, topic, topicLength))
                {
                    continue;
                }

                if (SessionAcl(s).Enabled && !CanRead(s, data, topic, topicLength))
                {
                    _counters.AclDeniedRead++;
                    continue;
                }

                byte stored = _retained.Qos(i);
                byte q = stored < granted && !_options.UpgradeOutgoingQos ? stored : granted;
                int payload = _retained.PayloadOffset(i);
                int payloadLength = _retained.PayloadLength(i);
                if (q == 0 && _deliveries.QueuedCount(s) == 0 && WritePublish(c, data, topic, topicLength, payload, payloadLength, 0, false, true, 0))
                {
                    continue;
                }

                if (q > 0 && CanSendNow(s, c, q, topicLength, payloadLength) && _deliveries.Available > 0)
                {
                    int message = _pool.Add(data, topic, topicLength, data, payload, payloadLength);
                    if (message >= 0)
                    {
                        int e = _deliveries.AddInflight(s, message, q == 1 ? Deliveries.AwaitPuback : Deliveries.AwaitPubrec, true);
                        _deliveries.SetPending(e, !WriteStored(c, message, q, false, true, _deliveries.PacketId(e)));
                        continue;
                    }
                }

                // Not held for: the SUBSCRIBE is answered either way. What the pool cannot take is dropped, counted.
                int m = -1;
                _reserved = 0;
                Queue(s, c, ref m, data, topic, topicLength, payload, payloadLength, topicLength + payloadLength, q, true, false);
                if (m >= 0)
                {
                    _pool.Release(m);
                }
            }
        }

        private void SetRetained(byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            RetainResult r = _retained.Set(src, topicOffset, topicLength, src, payloadOffset, payloadLength, qos);
            if (r == RetainResult.Refused)
            {
                _counters.RetainedRefused++;
            }
            else if (r != RetainResult.NothingToDelete && _store != null)
            {
                _store.RetainedSet(src, topicOffset, topicLength, payloadOffset, payloadLength, qos);
            }
        }

        private bool CanRead(int s, byte[] topic, int topicOffset, int topicLength)
        {
            return SessionAcl(s).CanRead(_sessions, s, topic, topicOffset, topicLength);
        }

        private void Drop(ref long reason)
        {
            reason++;
            _counters.MessagesDropped++;
        }
    }
}
