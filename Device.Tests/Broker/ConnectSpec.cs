using Device.Broker;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>What CONNECT carries, with the usual defaults (3.1.1, clean session, keep-alive 60 s).</summary>
    public sealed class ConnectSpec
    {
        public string ClientId;
        public byte Level = ProtocolLevel.V311;
        public bool CleanSession = true;
        public ushort KeepAlive = 60;
        public string WillTopic;
        public string WillMessage;
        public byte WillQos;
        public bool WillRetain;
        public string Username;
        public string Password;

        public ConnectSpec(string clientId)
        {
            ClientId = clientId;
        }
    }
}
