namespace Device.Protocol
{
    /// <summary>A decoded SUBACK, filled by <see cref="SubackPacket.Decode"/> into an instance its caller owns.</summary>
    public sealed class SubackView
    {
        public ushort PacketId;

        /// <summary>One byte per filter of the SUBSCRIBE, in order: granted QoS 0-2 or SubackCode.Failure.</summary>
        public int ReturnCodesOffset;
        public int ReturnCodesLength;
    }
}
