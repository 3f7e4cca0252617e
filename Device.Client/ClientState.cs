using Device.Protocol;

namespace Device.Client
{
    /// <summary>Where the connection of a <see cref="MqttClient"/> stands.</summary>
    public enum ClientState
    {
        /// <summary>No transport, or the transport must be closed: only Connect is accepted.</summary>
        Disconnected,

        /// <summary>CONNECT queued, waiting for CONNACK.</summary>
        Connecting,

        /// <summary>CONNACK 0 received.</summary>
        Connected
    }
}
