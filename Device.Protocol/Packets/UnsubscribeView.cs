namespace Device.Protocol
{
    /// <summary>A decoded UNSUBSCRIBE, filled by <see cref="UnsubscribePacket.Decode"/>; iterate its filters with UnsubscribePacket.NextEntry like SubscribeView.</summary>
    public sealed class UnsubscribeView
    {
        public ushort PacketId;
        public int EntriesOffset;
        public int EntriesEnd;
        public int Count;
    }
}
