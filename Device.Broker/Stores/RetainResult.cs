namespace Device.Broker
{
    /// <summary>What <see cref="Retained.Set"/> did with a retained PUBLISH.</summary>
    public enum RetainResult
    {
        Stored = 0,
        Replaced = 1,

        /// <summary>Empty payload ([MQTT-3.3.1-10]): the topic's retained message is gone.</summary>
        Deleted = 2,

        /// <summary>Empty payload for a topic that had no retained message: nothing to do.</summary>
        NothingToDelete = 3,

        /// <summary>No slot or bytes left (the old message, if any, kept intact).</summary>
        Refused = 4,
    }
}
