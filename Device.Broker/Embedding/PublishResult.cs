namespace Device.Broker
{
    /// <summary>What <see cref="BrokerEngine.Publish(byte[], int, int, byte[], int, int, byte, bool)"/> did with a local message.</summary>
    public enum PublishResult : byte
    {
        /// <summary>Routed: written or queued for every matching session, handed to every matching local handler, retained if asked.</summary>
        Ok = 0,

        /// <summary>
        /// Not taken, nothing changed: a QoS 1/2 message cannot be placed for every connected subscriber (the same
        /// back-pressure rule as a remote PUBLISH, Flow/BackPressure.cs), or the pool has no room for it. Try again
        /// after the transport has run (the app is the publisher being pushed back on; nothing is dropped quietly).
        /// </summary>
        NoRoom,

        /// <summary>Not taken: the topic is empty, has a wildcard, is not valid UTF-8, or is longer than MaxTopicLength; or QoS is above 2.</summary>
        Invalid,

        /// <summary>Not taken: called from inside a handler or hook while the engine is routing. Publish from the app's loop instead.</summary>
        Busy
    }
}
