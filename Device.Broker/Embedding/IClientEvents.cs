namespace Device.Broker
{
    /// <summary>
    /// Connect and disconnect notifications (<see cref="BrokerEngine.SetClientEvents"/>), for a status LED or a
    /// display. Called on the engine's thread; the views are valid during the call only.
    /// </summary>
    public interface IClientEvents
    {
        /// <summary>A client was accepted (CONNACK 0 written). username.Present is false without a user name.</summary>
        void ClientConnected(int connection, ByteView clientId, ByteView username);

        /// <summary>A connected client's connection ended, for the reason given (its will, if any, follows).</summary>
        void ClientDisconnected(int connection, ByteView clientId, CloseReason reason);
    }
}
