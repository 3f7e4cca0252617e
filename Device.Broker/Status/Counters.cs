namespace Device.Broker
{
    /// <summary>
    /// What a $SYS tree will publish, kept current by the engine: gauges (what is held now) and totals (since
    /// start). Every refusal has its own named total; MessagesDropped is the sum of the dropped-message ones.
    /// Plain fields: reading them costs nothing and they are only written from the engine's thread.
    /// </summary>
    public sealed class Counters
    {
        // ---- Gauges ----------------------------------------------------------------------------------
        public int ClientsConnected;
        public int PersistentSessions;
        public int Subscriptions;
        public int RetainedMessages;

        /// <summary>Messages in the shared store (in flight or queued).</summary>
        public int StoredMessages;

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

        /// <summary>Replies that did not fit the room reserved for them (an engine bug): each closed its connection.</summary>
        public long RepliesNotWritten;

        internal static void Measure(Footprint f)
        {
            f.Object(29);
        }
    }
}
