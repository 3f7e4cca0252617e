namespace Device.Protocol
{
    /// <summary>A decoded UNSUBSCRIBE; iterate its filters with UnsubscribePacket.NextEntry like SubscribeView.</summary>
    public struct UnsubscribeView
    {
        public ushort PacketId;
        public int EntriesOffset;
        public int EntriesEnd;
        public int Count;
    }
}
