namespace Device.Protocol
{
    /// <summary>
    /// A decoded CONNECT, filled by <see cref="ConnectPacket.Decode"/> into an instance its caller owns (or, to encode,
    /// filled by the caller). Every field pair (offset, length) indexes the buffer it was decoded from, or the source
    /// buffer given to Encode.
    /// </summary>
    public sealed class ConnectView
    {
        /// <summary>3 (3.1, "MQIsdp") or 4 (3.1.1, "MQTT"); also set when decoding fails with UnknownProtocolLevel.</summary>
        public byte ProtocolLevel;
        public bool CleanSession;

        /// <summary>Seconds; 0 turns the keep-alive mechanism off (3.1.2.10).</summary>
        public ushort KeepAlive;
        public int ClientIdOffset;
        public int ClientIdLength;
        public bool HasWill;
        public byte WillQos;
        public bool WillRetain;
        public int WillTopicOffset;
        public int WillTopicLength;

        /// <summary>Binary data (3.1.3.3).</summary>
        public int WillMessageOffset;
        public int WillMessageLength;
        public bool HasUsername;
        public int UsernameOffset;
        public int UsernameLength;
        public bool HasPassword;

        /// <summary>Binary data (3.1.3.5).</summary>
        public int PasswordOffset;
        public int PasswordLength;

        /// <summary>Back to all zero (Decode starts with it: a field the packet does not carry reads 0).</summary>
        public void Clear()
        {
            ProtocolLevel = 0;
            CleanSession = false;
            KeepAlive = 0;
            ClientIdOffset = 0;
            ClientIdLength = 0;
            HasWill = false;
            WillQos = 0;
            WillRetain = false;
            WillTopicOffset = 0;
            WillTopicLength = 0;
            WillMessageOffset = 0;
            WillMessageLength = 0;
            HasUsername = false;
            UsernameOffset = 0;
            UsernameLength = 0;
            HasPassword = false;
            PasswordOffset = 0;
            PasswordLength = 0;
        }
    }
}
