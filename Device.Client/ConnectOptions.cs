using Device.Protocol;

namespace Device.Client
{
    /// <summary>
    /// What a CONNECT says, as a configuration is written down. Build packs it into the one buffer and the caller's
    /// view that MqttClient.Connect encodes from; it allocates, so build once per configuration, not per connection.
    /// </summary>
    public sealed class ConnectOptions
    {
        /// <summary>ProtocolLevel.V311 (default) or ProtocolLevel.V31.</summary>
        public byte ProtocolLevel = Device.Protocol.ProtocolLevel.V311;

        /// <summary>Empty asks a 3.1.1 server to assign one (clean sessions only).</summary>
        public string ClientId = "";
        public bool CleanSession = true;
        public ushort KeepAliveSeconds = 60;

        /// <summary>null: no will.</summary>
        public string WillTopic;

        /// <summary>null or empty: a zero-length will message.</summary>
        public byte[] WillPayload;
        public byte WillQos;
        public bool WillRetain;

        /// <summary>null: no user name.</summary>
        public string Username;

        /// <summary>null: no password.</summary>
        public byte[] Password;

        /// <summary>Fills view (every field) and returns the buffer its (offset, length) fields index.</summary>
        public byte[] Build(ConnectView view)
        {
            view.Clear();
            view.ProtocolLevel = ProtocolLevel;
            view.CleanSession = CleanSession;
            view.KeepAlive = KeepAliveSeconds;
            view.HasWill = WillTopic != null;
            view.WillQos = view.HasWill ? WillQos : (byte)0;
            view.WillRetain = view.HasWill && WillRetain;
            view.HasUsername = Username != null;
            view.HasPassword = Password != null;

            string clientId = ClientId == null ? "" : ClientId;
            int size = Utf8.ByteCount(clientId);
            if (view.HasWill)
            {
                size += Utf8.ByteCount(WillTopic) + Length(WillPayload);
            }

            if (view.HasUsername)
            {
                size += Utf8.ByteCount(Username);
            }

            size += Length(Password);

            byte[] data = new byte[size];
            int pos = 0;
            view.ClientIdOffset = pos;
            view.ClientIdLength = Put(clientId, data, ref pos);
            if (view.HasWill)
            {
                view.WillTopicOffset = pos;
                view.WillTopicLength = Put(WillTopic, data, ref pos);
                view.WillMessageOffset = pos;
                view.WillMessageLength = Put(WillPayload, data, ref pos);
            }

            if (view.HasUsername)
            {
                view.UsernameOffset = pos;
                view.UsernameLength = Put(Username, data, ref pos);
            }

            if (view.HasPassword)
            {
                view.PasswordOffset = pos;
                view.PasswordLength = Put(Password, data, ref pos);
            }

            return data;
        }

        private static int Length(byte[] b)
        {
            return b == null ? 0 : b.Length;
        }

        /// <summary>Writes s at data[pos], moves pos past it and returns its length.</summary>
        private static int Put(string s, byte[] data, ref int pos)
        {
            int n = Utf8.Encode(s, data, pos);
            pos += n;
            return n;
        }

        private static int Put(byte[] b, byte[] data, ref int pos)
        {
            int n = Length(b);
            if (n > 0)
            {
                System.Array.Copy(b, 0, data, pos, n);
            }

            pos += n;
            return n;
        }
    }
}
