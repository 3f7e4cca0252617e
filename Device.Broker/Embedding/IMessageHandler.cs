namespace Device.Broker
{
    /// <summary>
    /// The app's side of a local subscription (<see cref="BrokerEngine.Subscribe"/>). Called on the engine's
    /// thread, synchronously, while the message is routed: keep it short (switch a pin, copy a value), copy out
    /// what must outlive the call, and do not call Publish/Subscribe from it (they return Busy/-1: the engine is
    /// in the middle of routing). An interface, not a delegate: no generics on nanoFramework, and the app's
    /// object can keep its own state without a closure.
    /// </summary>
    public interface IMessageHandler
    {
        void OnMessage(LocalMessage message);
    }
}
