namespace Device.Net
{
    /// <summary>Mosquitto's start_type: when the bridge connects.</summary>
    public enum BridgeStart
    {
        /// <summary>At start-up, and again after every loss, restart_timeout apart.</summary>
        Automatic,

        /// <summary>
        /// Only when messages wait to go out: here, when the first local message for an `out` topic arrives
        /// (Mosquitto counts `threshold` messages; ours starts at the first).
        /// </summary>
        Lazy,

        /// <summary>At start-up only; a lost or refused connection is not retried.</summary>
        Once
    }
}
