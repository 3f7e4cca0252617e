namespace Device.Protocol
{
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
}
