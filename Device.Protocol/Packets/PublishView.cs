namespace Device.Protocol
{
    /// <summary>
    /// A decoded PUBLISH, filled by <see cref="PublishPacket.Decode"/> into an instance its caller owns and reuses
    /// (no struct: a heap block per message on nanoCLR). Offsets are absolute indexes into the buffer the packet was
    /// decoded from, meaningful while that buffer still holds the packet.
    /// </summary>
    public sealed class PublishView
    {
        public byte Qos;
        public bool Dup;
        public bool Retain;

        /// <summary>0 for QoS 0 (no identifier on the wire).</summary>
        public ushort PacketId;
        public int TopicOffset;
        public int TopicLength;

        /// <summary>Application message: everything after the variable header, possibly empty.</summary>
        public int PayloadOffset;
        public int PayloadLength;
    }
}
