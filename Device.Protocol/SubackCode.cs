namespace Device.Protocol
{
    /// <summary>SUBACK return codes: 0, 1, 2 are the granted QoS; 0x80 is failure (3.1.1 only).</summary>
    public static class SubackCode
    {
        public const byte MaxQos0 = 0x00;
        public const byte MaxQos1 = 0x01;
        public const byte MaxQos2 = 0x02;
        public const byte Failure = 0x80;
    }
}
