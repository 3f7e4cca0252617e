namespace Device.Broker
{
    /// <summary>What <see cref="Subscriptions.Add"/> did.</summary>
    public enum SubscribeResult
    {
        Added = 0,

        /// <summary>The session already had this exact filter: its QoS was replaced ([MQTT-3.8.4-3]).</summary>
        Replaced = 1,

        /// <summary>MaxSubscriptions or SubscriptionBytes reached.</summary>
        TableFull = 2,

        /// <summary>MaxSubscriptionsPerClient reached.</summary>
        SessionFull = 3,
    }
}
