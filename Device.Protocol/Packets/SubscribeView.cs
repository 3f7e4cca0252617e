namespace Device.Protocol
{
    /// <summary>
    /// A decoded SUBSCRIBE, filled by <see cref="SubscribePacket.Decode"/> into an instance its caller owns. Entries
    /// are not copied out (their number is unbounded): iterate them with SubscribePacket.NextEntry from EntriesOffset
    /// while the cursor is below EntriesEnd (Count entries).
    /// </summary>
    public sealed class SubscribeView
    {
        public ushort PacketId;
        public int EntriesOffset;
        public int EntriesEnd;
        public int Count;
    }
}
