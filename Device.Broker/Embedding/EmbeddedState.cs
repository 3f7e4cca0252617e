namespace Device.Broker
{
    /// <summary>
    /// What the embedding API needs besides the engine's own tables, allocated with the engine only when
    /// BrokerOptions.Embedded is set (docs/EMBEDDING.md gives its bytes): the local subscriptions, the app's hook
    /// and event objects, the reused views handed to them, and the flag that refuses re-entry from a callback.
    /// </summary>
    internal sealed class EmbeddedState
    {
        public readonly LocalSubscriptions Local;
        public readonly LocalMessage Message = new LocalMessage();
        public readonly ByteView ClientId = new ByteView();
        public readonly ByteView Username = new ByteView();
        public readonly ByteView Password = new ByteView();
        public readonly ByteView Topic = new ByteView();
        public IAccessHook Hook;
        public IClientEvents Events;

        /// <summary>True while app code runs inside the engine (a handler, a hook, an event).</summary>
        public bool InCallback;

        public EmbeddedState(BrokerOptions o)
        {
            Local = new LocalSubscriptions(o.LocalSubscriptions, o.LocalFilterBytes);
        }

        internal static void Measure(Footprint f, BrokerOptions o)
        {
            f.Object(9);
            // Message (Topic, Payload, Qos, Retain, Subscription) and the six views (data, offset, length, present):
            // declared by field count as every engine object is; the host test's packing allowance covers .NET's.
            f.Object(5);
            for (int i = 0; i < 6; i++)
            {
                f.Object(4);
            }

            LocalSubscriptions.Measure(f, o.LocalSubscriptions, o.LocalFilterBytes);
        }
    }
}
