namespace Device.Protocol
{
    public struct SubackView
    {
        public ushort PacketId;

        /// <summary>One byte per filter of the SUBSCRIBE, in order: granted QoS 0-2 or SubackCode.Failure.</summary>
        public Slice ReturnCodes;
    }
}
