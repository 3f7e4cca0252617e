namespace Device.Broker
{
    /// <summary>
    /// Takes a QoS 0 message the engine would otherwise drop because its session is away and QueueQos0Messages is off
    /// (DroppedOfflineQos0): a bridge's `conflate` table keeps the newest per topic for an upstream that is away, also
    /// while the bridge's local session is offline to store QoS 1/2 (docs/BRIDGE.md, conflate). Called during routing on
    /// the engine's thread: it must not allocate, and must not call back into the engine.
    /// </summary>
    public interface IOfflineQos0Sink
    {
        /// <summary>True when the sink took the message (it counts what it keeps and drops itself); false: the engine drops it, counted.</summary>
        bool Offer(int session, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, bool retain);
    }
}
