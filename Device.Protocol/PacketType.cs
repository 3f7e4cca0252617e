namespace Device.Protocol
{
    /// <summary>Control packet types: the high nibble of the first fixed-header byte ([MQTT-2.2.1]).</summary>
    public static class PacketType
    {
        public const byte Connect = 1;
        public const byte Connack = 2;
        public const byte Publish = 3;
        public const byte Puback = 4;
        public const byte Pubrec = 5;
        public const byte Pubrel = 6;
        public const byte Pubcomp = 7;
        public const byte Subscribe = 8;
        public const byte Suback = 9;
        public const byte Unsubscribe = 10;
        public const byte Unsuback = 11;
        public const byte Pingreq = 12;
        public const byte Pingresp = 13;
        public const byte Disconnect = 14;
    }
}
