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

    /// <summary>The protocol level byte of CONNECT: 3 with name "MQIsdp" (3.1), 4 with name "MQTT" (3.1.1).</summary>
    public static class ProtocolLevel
    {
        public const byte V31 = 3;
        public const byte V311 = 4;
    }

    /// <summary>CONNACK return codes ([MQTT-3.2.2.3], identical in 3.1).</summary>
    public static class ConnectReturnCode
    {
        public const byte Accepted = 0;
        public const byte UnacceptableProtocolVersion = 1;
        public const byte IdentifierRejected = 2;
        public const byte ServerUnavailable = 3;
        public const byte BadUsernameOrPassword = 4;
        public const byte NotAuthorized = 5;
    }

    /// <summary>SUBACK return codes: 0, 1, 2 are the granted QoS; 0x80 is failure (3.1.1 only).</summary>
    public static class SubackCode
    {
        public const byte MaxQos0 = 0x00;
        public const byte MaxQos1 = 0x01;
        public const byte MaxQos2 = 0x02;
        public const byte Failure = 0x80;
    }
}
