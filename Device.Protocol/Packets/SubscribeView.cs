namespace Device.Protocol
{
    /// <summary>
    /// A decoded SUBSCRIBE. Entries are not copied out (their number is unbounded): iterate them with
    /// SubscribePacket.NextEntry from EntriesOffset while the cursor is below EntriesEnd (Count entries).
    /// </summary>
    public struct SubscribeView
    {
        public ushort PacketId;
        public int EntriesOffset;
        public int EntriesEnd;
        public int Count;
    }
}
