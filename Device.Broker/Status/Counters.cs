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
        private readonly MessageStore _store;

        internal Counters(Connections connections, SessionTable sessions, Subscriptions subscriptions, Retained retained, MessageStore store)
        {
            _connections = connections;
            _sessions = sessions;
            _subscriptions = subscriptions;
            _retained = retained;
            _store = store;
        }

        // ---- Gauges ----------------------------------------------------------------------------------
        /// <summary>Clients past CONNACK whose connection the engine has not closed.</summary>
        public int ClientsConnected { get { return _connections.ConnectedCount; } }

        /// <summary>Sessions kept across connections (CleanSession=0), connected or not.</summary>
        public int PersistentSessions { get { return _sessions.PersistentCount; } }

        public int Subscriptions { get { return _subscriptions.Count; } }

        public int RetainedMessages { get { return _retained.Count; } }

        /// <summary>Messages in the shared store (in flight or queued).</summary>
        public int StoredMessages { get { return _store.Count; } }

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

        /// <summary>QoS 0 to a client whose transmit buffer was full.</summary>
        public long DroppedTxFull;

        /// <summary>QoS 1/2 to a session whose queue was full (the newest is refused).</summary>
        public long DroppedQueueFull;

        /// <summary>QoS 1/2 when the shared message store had no slot or bytes left.</summary>
        public long DroppedStoreFull;

        // ---- Refusals --------------------------------------------------------------------------------
        /// <summary>Accept found no free connection slot.</summary>
        public long ConnectionsRefused;

        /// <summary>CONNACK with a non-zero return code.</summary>
        public long ConnectsRefused;
        public long AuthFailures;
        public long RetainedRefused;
        public long SubscriptionsRefused;
        public long PublishTopicTooLong;
        public long AclDeniedPublish;
        public long AclDeniedSubscribe;

        /// <summary>Deliveries not made because the receiver may not read the topic.</summary>
        public long AclDeniedRead;

        /// <summary>Inbound QoS 2 ids forgotten to make room (see IncomingQos2).</summary>
        public long Qos2IdsEvicted;

        // ---- Connection ends -------------------------------------------------------------------------
        public long ProtocolViolations;
        public long KeepAliveExpired;
        public long ConnectTimeouts;
        public long Takeovers;
        public long WillsPublished;

        internal static void Measure(Footprint f)
        {
            f.Object(28);
        }
    }
}
