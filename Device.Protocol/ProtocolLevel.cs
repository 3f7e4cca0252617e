namespace Device.Protocol
{
    /// <summary>The protocol level byte of CONNECT: 3 with name "MQIsdp" (3.1), 4 with name "MQTT" (3.1.1).</summary>
    public static class ProtocolLevel
    {
        public const byte V31 = 3;
        public const byte V311 = 4;

        /// <summary>
        /// Added to the level by a bridge (Mosquitto's try_private, not in the MQTT spec): the server then does not echo
        /// the bridge's own messages back to it and keeps their retain flag (Mosquitto's loop prevention).
        /// </summary>
        public const byte BridgeFlag = 0x80;
    }
}
