namespace Device.Protocol
{
    /// <summary>A decoded CONNECT; every Slice indexes the buffer it was decoded from (or, to encode, the source buffer).</summary>
    public struct ConnectView
    {
        /// <summary>3 (3.1, "MQIsdp") or 4 (3.1.1, "MQTT"); also set when decoding fails with UnknownProtocolLevel.</summary>
        public byte ProtocolLevel;
        public bool CleanSession;

        /// <summary>Seconds; 0 turns the keep-alive mechanism off (3.1.2.10).</summary>
        public ushort KeepAlive;
        public Slice ClientId;
        public bool HasWill;
        public byte WillQos;
        public bool WillRetain;
        public Slice WillTopic;

        /// <summary>Binary data (3.1.3.3).</summary>
        public Slice WillMessage;
        public bool HasUsername;
        public Slice Username;
        public bool HasPassword;

        /// <summary>Binary data (3.1.3.5).</summary>
        public Slice Password;
    }
}
