namespace Device.Net
{
    /// <summary>Which way a bridge topic line forwards (Mosquitto's `topic PATTERN in|out|both`).</summary>
    public enum BridgeDirection
    {
        /// <summary>Local messages go to the upstream broker (Mosquitto's default).</summary>
        Out,

        /// <summary>Upstream messages are published locally.</summary>
        In,

        Both
    }
}
