namespace Device.Broker
{
    /// <summary>
    /// The app's own authentication and authorisation, for apps that keep their users elsewhere
    /// (<see cref="BrokerEngine.SetAccessHook"/>). Called on the engine's thread; the views are valid during the
    /// call only. How it combines with the password file and the ACL (docs/EMBEDDING.md, "Hooks"):
    /// the built-in checks run first and the hook can only narrow what they allow, except in one case where
    /// it takes the place of a missing password file (a CONNECT with a user name and no password file loaded).
    /// A hook that throws refuses (counted in Counters.HookFailures).
    /// </summary>
    public interface IAccessHook
    {
        /// <summary>CONNECT: true lets the client in (CONNACK 0); false answers CONNACK 5 (as bad credentials are answered).</summary>
        bool Authenticate(ByteView clientId, ByteView username, ByteView password);

        /// <summary>A PUBLISH (or a will) to topic: false acknowledges it as usual and does not route it (as the ACL does).</summary>
        bool MayPublish(ByteView clientId, ByteView username, ByteView topic);

        /// <summary>A SUBSCRIBE filter: false answers 0x80 for it (as the ACL does).</summary>
        bool MaySubscribe(ByteView clientId, ByteView username, ByteView filter);
    }
}
