namespace Device.Broker
{
    /// <summary>
    /// A message handed to a local subscription's <see cref="IMessageHandler"/>: read-only views of its topic and
    /// payload, valid only during the call (the engine reuses this instance and the bytes behind it).
    /// </summary>
    public sealed class LocalMessage
    {
        public readonly ByteView Topic = new ByteView();
        public readonly ByteView Payload = new ByteView();

        /// <summary>The QoS it was published with (a local handler takes it at once: there is no downgrade).</summary>
        public byte Qos;

        /// <summary>True only for a retained message replayed when the subscription was made ([MQTT-3.3.1-6]); live ones are 0 ([MQTT-3.3.1-9]).</summary>
        public bool Retain;

        /// <summary>The id <see cref="BrokerEngine.Subscribe"/> returned for the matching subscription.</summary>
        public int Subscription;
    }
}
