using Device.Broker;

namespace Device.Tests
{
    /// <summary>IClientEvents for tests: the last client id and reason seen, and counts.</summary>
    public sealed class RecordingEvents : IClientEvents
    {
        public int Connected;
        public int Disconnected;
        public string LastConnected;
        public string LastUser;
        public string LastDisconnected;
        public CloseReason LastReason;

        public void ClientConnected(int connection, ByteView clientId, ByteView username)
        {
            Connected++;
            LastConnected = clientId.ToString();
            LastUser = username.Present ? username.ToString() : null;
        }

        public void ClientDisconnected(int connection, ByteView clientId, CloseReason reason)
        {
            Disconnected++;
            LastDisconnected = clientId.ToString();
            LastReason = reason;
        }
    }
}
