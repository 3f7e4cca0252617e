namespace Device.Broker
{
    /// <summary>
    /// What a $SYS tree will publish: gauges (what is held now) and totals (since start). A gauge reads its
    /// store, so it cannot drift from it; a total is a plain field the engine increments from its one thread
    /// (reading it costs nothing). Every refusal has its own named total; MessagesDropped is the sum of the
    /// dropped-message ones.
    /// </summary>
    public sealed class Counters
    {
        private readonly Connections _connections;
        private readonly SessionTable _sessions;
        private readonly Subscriptions _subscriptions;
        private readonly Retained _retained;
        private readonly MessagePool _pool;
        private readonly Holds _holds;

        internal Counters(Connections connections, SessionTable sessions, Subscriptions subscriptions, Retained retained, MessagePool pool, Holds holds)
        {
            _connections = connections;
            _sessions = sessions;
            _subscriptions = subscriptions;
            _retained = retained;
            _pool = pool;
            _holds = holds;
        }

        // ---- Gauges ----------------------------------------------------------------------------------
        /// <summary>Clients past CONNACK whose connection the engine has not closed.</summary>
        public int ClientsConnected { get { return _connections.ConnectedCount; } }

        /// <summary>Sessions kept across connections (CleanSession=0), connected or not.</summary>
        public int PersistentSessions { get { return _sessions.PersistentCount; } }

        public int Subscriptions { get { return _subscriptions.Count; } }

        public int RetainedMessages { get { return _retained.Count; } }

        /// <summary>Messages in the shared pool (in flight or queued).</summary>
        public int StoredMessages { get { return _pool.Count; } }

        /// <summary>Connections whose next PUBLISH waits for room now (back-pressure).</summary>
        public int PublishersHeld { get { return _holds.Count; } }

        /// <summary>Messages the pool can still store (of its PoolMessages records).</summary>
        public int PoolMessagesFree { get { return _pool.Capacity - _pool.Count; } }

        /// <summary>Topic and payload bytes the pool can still store.</summary>
        public int PoolBytesFree { get { return _pool.ByteLimit - _pool.BytesUsed; } }

        // ---- Traffic ---------------------------------------------------------------------------------
        /// <summary>PUBLISH packets received from clients (repeats of a QoS 2 id included).</summary>
        public long MessagesReceived;

        /// <summary>PUBLISH packets written for clients (resends included).</summary>
        public long MessagesSent;

        public long BytesReceived;

        /// <summary>Bytes the transport reported sent.</summary>
        public long BytesSent;

        // ---- Dropped messages (one delivery to one client each) ---------------------------------------
        public long MessagesDropped;

        /// <summary>
        /// A session's own limit (MaxQueuedMessages/MaxQueuedBytes, or a connected one's share of the pool): any QoS to
        /// an offline session (the newest is refused), trimmed when it went offline, or a will's copy for a connected
        /// one. A client's PUBLISH for a connected subscriber is held instead, QoS 0 too (issue 10).
        /// </summary>
        public long DroppedQueueFull;

        /// <summary>The shared pool had no room: offline sessions beyond half the pool, wills and retained copies (nobody to hold; a client's PUBLISH is held instead).</summary>
        public long DroppedPoolFull;

        /// <summary>QoS 0 for an offline session (QueueQos0Messages off, Mosquitto's default).</summary>
        public long DroppedOfflineQos0;

        /// <summary>Undelivered messages of a clean session that ended (a stalled subscriber cut, a client gone).</summary>
        public long DroppedWithSession;

        // ---- Back-pressure ---------------------------------------------------------------------------
        /// <summary>Times a publisher's PUBLISH was held (not taken) for lack of room, by reason below.</summary>
        public long PublishesHeld;

        /// <summary>...because a connected subscriber's queue was at its limit.</summary>
        public long HeldQueueFull;

        /// <summary>...because the shared pool was full.</summary>
        public long HeldPoolFull;

        /// <summary>...because the publisher's table of unreleased QoS 2 ids was full (only its PUBRELs are read meanwhile).</summary>
        public long HeldQos2Ids;

        /// <summary>Subscribers disconnected for holding publishers back while taking nothing (CloseReason.Stalled).</summary>
        public long StalledDisconnects;

        // ---- Refusals --------------------------------------------------------------------------------
        /// <summary>Accept found no free connection slot.</summary>
        public long ConnectionsRefused;

        /// <summary>CONNACK with a non-zero return code.</summary>
        public long ConnectsRefused;
        public long AuthFailures;
        public long RetainedRefused;
        public long SubscriptionsRefused;
        public long PublishTopicTooLong;

        /// <summary>PUBLISH payloads (and wills) over MaxPayloadSize: acknowledged, not routed (a will: CONNACK 5).</summary>
        public long PublishTooLarge;
        public long AclDeniedPublish;
        public long AclDeniedSubscribe;

        /// <summary>Deliveries not made because the receiver may not read the topic.</summary>
        public long AclDeniedRead;

        /// <summary>Queued messages removed by a security reload because their session may no longer read them.</summary>
        public long RevokedQueued;

        /// <summary>Retained PUBLISH or will while RetainAvailable is false: the connection was closed.</summary>
        public long RetainUnavailable;

        // ---- Connection ends -------------------------------------------------------------------------
        public long ProtocolViolations;

        /// <summary>Packets refused at their header for being larger than the broker takes (also counted in ProtocolViolations).</summary>
        public long PacketsTooLarge;

        /// <summary>Acks of the wrong kind for an id in flight (PUBREC/PUBCOMP for QoS 1, PUBACK for QoS 2, PUBCOMP before PUBREC): closed.</summary>
        public long WrongAcks;
        public long KeepAliveExpired;
        public long ConnectTimeouts;
        public long Takeovers;
        public long WillsPublished;

        /// <summary>Connections closed because a reload revoked their access.</summary>
        public long AccessRevoked;

        /// <summary>Persistent sessions removed after PersistentSessionExpirySeconds offline.</summary>
        public long SessionsExpired;

        /// <summary>Replies that did not fit the room reserved for them (an engine bug): each closed its connection.</summary>
        public long RepliesNotWritten;

        // ---- The embedding API (docs/EMBEDDING.md) ----------------------------------------------------
        /// <summary>Messages the app published with BrokerEngine.Publish and the engine took (Ok).</summary>
        public long LocalPublished;

        /// <summary>Calls of local subscriptions' handlers that returned.</summary>
        public long LocalDelivered;

        /// <summary>Local Publish calls answered NoRoom (back-pressure on the app, nothing changed).</summary>
        public long LocalNoRoom;

        /// <summary>CONNECTs, PUBLISHes (and wills) and SUBSCRIBE filters the app's IAccessHook refused.</summary>
        public long HookRefusals;

        /// <summary>Handlers, hooks and events that threw (a hook that throws refuses).</summary>
        public long HookFailures;

        internal static void Measure(Footprint f)
        {
            f.Object(47);
        }
    }
}
