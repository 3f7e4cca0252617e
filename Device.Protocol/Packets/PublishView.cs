namespace Device.Protocol
{
    public struct PublishView
    {
        public byte Qos;
        public bool Dup;
        public bool Retain;

        /// <summary>0 for QoS 0 (no identifier on the wire).</summary>
        public ushort PacketId;
        public Slice Topic;

        /// <summary>Application message: everything after the variable header, possibly empty.</summary>
        public Slice Payload;
    }
}
