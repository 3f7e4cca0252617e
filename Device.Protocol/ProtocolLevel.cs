namespace Device.Protocol
{
    /// <summary>The protocol level byte of CONNECT: 3 with name "MQIsdp" (3.1), 4 with name "MQTT" (3.1.1).</summary>
    public static class ProtocolLevel
    {
        public const byte V31 = 3;
        public const byte V311 = 4;
    }
}
