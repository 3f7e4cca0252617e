namespace Device.Broker
{
    /// <summary>
    /// What the engine tells a store about the state that must survive a restart (docs/PERSISTENCE.md): retained
    /// messages, persistent sessions with their subscriptions, their QoS 1/2 deliveries (queued and in flight, with
    /// packet id and state) and the inbound QoS 2 ids awaiting PUBREL. The engine calls these as the state changes,
    /// for every session; the store keeps only what belongs to persistent sessions (those it was told of with
    /// <see cref="SessionSaved"/>) and QoS 1/2 deliveries. Sessions and deliveries are named by the engine's slot
    /// numbers (session s, delivery entry e), valid until the store is told they are gone; a store that outlives the
    /// engine run (a journal) maps them at restore. Buffers are the engine's: copy what you keep before returning.
    /// <see cref="Commit"/> ends every seam call that may have changed something, before the transport sends what
    /// the call wrote: a store that makes its records durable there (or earlier) makes every PUBACK/PUBREC it lets out
    /// mean "saved". No generics, no per-message allocation: the same interface serves the PC journal and the board.
    /// </summary>
    public interface IPersistence
    {
        /// <summary>A persistent session was created (CleanSession 0, [MQTT-3.1.2-4]).</summary>
        void SessionSaved(int s, byte[] id, int offset, int length);

        /// <summary>Session s ends with everything it held (a clean start took it over, [MQTT-3.1.2-6]).</summary>
        void SessionRemoved(int s);

        /// <summary>Added or replaced (a repeat filter replaces, [MQTT-3.8.4-3]).</summary>
        void Subscribed(int s, byte[] filter, int offset, int length, byte qos);

        void Unsubscribed(int s, byte[] filter, int offset, int length);

        /// <summary>A retained message stored or replaced; an empty payload deletes it ([MQTT-3.3.1-10]).</summary>
        void RetainedSet(byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos);

        /// <summary>An inbound QoS 2 id is remembered until PUBREL ([MQTT-4.3.3-2]).</summary>
        void IncomingAdded(int s, ushort packetId);

        void IncomingRemoved(int s, ushort packetId);

        /// <summary>
        /// Delivery entry e of session s: message (pool id, its bytes in data; -1 and no bytes once PUBREC came) at
        /// qos, in state (Deliveries.Queued, AwaitPuback, AwaitPubrec, AwaitPubcomp) with its packet id (0 when queued).
        /// </summary>
        void DeliveryAdded(int s, int e, byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            int message, byte qos, byte state, ushort packetId, bool retain);

        /// <summary>Entry e was sent (Queued to AwaitPuback/AwaitPubrec with its id) or its PUBREC came (AwaitPubcomp).</summary>
        void DeliveryChanged(int e, byte state, ushort packetId);

        /// <summary>Entry e is done (PUBACK, PUBCOMP, sent at QoS 0, dropped by a limit, or its session ended).</summary>
        void DeliveryRemoved(int e);

        /// <summary>
        /// End of a seam call: what was reported so far must be as durable as the store's setting promises. False when it
        /// could not be (a full disk, an I/O error): the engine then sends nothing until a later Commit returns true, so no
        /// ack goes out for a change the store does not hold. The store keeps what it could not write and retries.
        /// </summary>
        bool Commit(long nowMs);
    }
}
