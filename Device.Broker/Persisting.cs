namespace Device.Broker
{
    /// <summary>
    /// The engine's side of persistence (docs/PERSISTENCE.md). The engine stays storage-free: it reports every change of
    /// the saved state to one <see cref="IPersistence"/> (attached before the listener opens; none by default), ends each
    /// seam call with its Commit, can write its whole saved state to a sink (<see cref="SaveTo"/>: a snapshot) and takes
    /// saved state back before the first Accept (the Restore methods; the store calls them in the order it saved, in-flight
    /// deliveries of a session before its queued ones). Restoring allocates nothing: it fills the tables the constructor
    /// made, and what does not fit them (smaller limits than the run that saved it) is refused, for the store to count.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private IPersistence _store;

        // The store could not make the last seam call's changes durable (a full disk): nothing is sent until it can.
        private bool _storeBehind;

        /// <summary>From now on every change of the saved state goes to <paramref name="store"/>.</summary>
        public void Attach(IPersistence store)
        {
            _store = store;
            _deliveries.Attach(store, _pool);
        }

        public IPersistence Store { get { return _store; } }

        /// <summary>
        /// Scratch for a store reading records back before the first Accept: the receive buffers (at least MaxPacketSize,
        /// so any saved record of this profile fits), which hold nothing yet. Not to be used once clients are in.
        /// </summary>
        public byte[] RestoreBuffer { get { return _connections.Rx; } }

        /// <summary>Every retained message and persistent session with what it holds, as the calls that built them.</summary>
        public void SaveTo(IPersistence sink)
        {
            byte[] data = _retained.Data;
            for (int k = 0; k < _retained.Count; k++)
            {
                int i = _retained.At(k);
                sink.RetainedSet(data, _retained.TopicOffset(i), _retained.TopicLength(i), _retained.PayloadOffset(i), _retained.PayloadLength(i), _retained.Qos(i));
            }

            for (int s = 0; s < _sessions.Capacity; s++)
            {
                if (!_sessions.InUse(s) || !_sessions.IsPersistent(s))
                {
                    continue;
                }

                sink.SessionSaved(s, _sessions.Ids, _sessions.IdOffset(s), _sessions.IdLength(s));
                for (int k = 0; k < _incoming.Count(s); k++)
                {
                    sink.IncomingAdded(s, _incoming.Id(s, k));
                }

                byte[] pool = _pool.Data;
                for (int e = _deliveries.First(s); e >= 0; e = _deliveries.Next(e))
                {
                    int m = _deliveries.Message(e);
                    if (m >= 0)
                    {
                        sink.DeliveryAdded(s, e, pool, _pool.TopicOffset(m), _pool.TopicLength(m), _pool.PayloadOffset(m), _pool.PayloadLength(m),
                            m, _deliveries.Qos(e), _deliveries.State(e), _deliveries.PacketId(e), _deliveries.Retain(e));
                    }
                    else
                    {
                        sink.DeliveryAdded(s, e, null, 0, 0, 0, 0, -1, _deliveries.Qos(e), _deliveries.State(e), _deliveries.PacketId(e), _deliveries.Retain(e));
                    }
                }
            }

            byte[] filters = _subscriptions.Filters;
            for (int k = 0; k < _subscriptions.Count; k++)
            {
                int i = _subscriptions.At(k);
                int s = _subscriptions.Session(i);
                if (_sessions.IsPersistent(s))
                {
                    sink.Subscribed(s, filters, _subscriptions.FilterOffset(i), _subscriptions.FilterLength(i), _subscriptions.Qos(i));
                }
            }
        }

        /// <summary>A saved persistent session, offline; its slot, or -1 when the table is full or the id too long.</summary>
        public int RestoreSession(byte[] id, int offset, int length)
        {
            if (_sessions.Find(id, offset, length) >= 0 || _sessions.PersistentCount >= _options.MaxPersistentSessions)
            {
                return -1;
            }

            return _sessions.Create(id, offset, length, true);
        }

        public bool RestoreSubscription(int s, byte[] filter, int offset, int length, byte qos)
        {
            SubscribeResult r = _subscriptions.Add(s, filter, offset, length, qos, _options.MaxSubscriptionsPerClient);
            return r == SubscribeResult.Added || r == SubscribeResult.Replaced;
        }

        public bool RestoreIncoming(int s, ushort packetId)
        {
            return _incoming.Contains(s, packetId) || _incoming.Add(s, packetId);
        }

        public bool RestoreRetained(byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            return _retained.Set(data, topicOffset, topicLength, data, payloadOffset, payloadLength, qos) != RetainResult.Refused;
        }

        /// <summary>A message for restored deliveries, holding the restorer's reference (give it back with ReleaseRestored); -1 when the pool is full.</summary>
        public int RestoreMessage(byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength)
        {
            return _pool.Add(data, topicOffset, topicLength, data, payloadOffset, payloadLength);
        }

        public void ReleaseRestored(int message)
        {
            _pool.Release(message);
        }

        /// <summary>
        /// Appends a saved delivery to session s (message -1 for one awaiting PUBCOMP). In-flight ones are owed a resend when
        /// the client comes back ([MQTT-4.4.0-1]); false when the entries are used up or an in-flight one comes after a queued one.
        /// </summary>
        public bool RestoreDelivery(int s, int message, byte qos, byte state, ushort packetId, bool retain)
        {
            if (state != Deliveries.AwaitPubcomp && message < 0)
            {
                return false;
            }

            int bytes = message >= 0 ? _pool.Length(message) : 0;
            if (!_deliveries.Restore(s, message, qos, state, packetId, retain, bytes))
            {
                return false;
            }

            if (message >= 0)
            {
                _pool.AddRef(message);
            }

            return true;
        }

        /// <summary>
        /// True while the store is behind the engine (its last Commit failed: a full disk, an I/O error). PendingOutput
        /// then hands the transport nothing, so no PUBACK/PUBREC (nor anything else) leaves before its records are durable;
        /// the publishers are held back by their unsent acks and the full transmit buffers, as under overload. Every seam
        /// call, including the 100 ms Tick, retries the Commit (docs/PERSISTENCE.md, "A full disk").
        /// </summary>
        public bool StoreBehind { get { return _storeBehind; } }

        /// <summary>Ends a seam call: the store makes what the call changed durable before the transport sends its acks.</summary>
        private void Commit()
        {
            if (_store != null)
            {
                bool behind = !_store.Commit(_now);
                if (_storeBehind && !behind)
                {
                    // Nobody could take anything while the store was behind: the stall clocks start over.
                    for (int c = 0; c < _connections.Count; c++)
                    {
                        _holds.SetProgress(c, _now);
                        if (_connections.Pool != null && _connections.State(c) != Connections.Free && _connections.TxPendingTotal(c) > 0)
                        {
                            // PendingOutput hid these bytes while the store was behind: the transport looks again.
                            _connections.Pool.Wake(c);
                        }
                    }
                }

                _storeBehind = behind;
            }
        }
    }
}
