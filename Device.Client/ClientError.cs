using Device.Protocol;

namespace Device.Client
{
    /// <summary>Why the engine gave up a connection (see IClientListener.Closed): the caller closes the transport.</summary>
    public enum ClientError
    {
        None,

        /// <summary>CONNACK with a non-zero return code.</summary>
        Refused,

        /// <summary>The server sent something the codec rejects; MqttClient.LastDecodeResult says what.</summary>
        MalformedPacket,

        /// <summary>A packet larger than the receive buffer.</summary>
        PacketTooLarge,

        /// <summary>A well-formed packet a server must not send, or a CONNACK out of turn.</summary>
        UnexpectedPacket,

        /// <summary>No CONNACK within ConnackTimeoutMs.</summary>
        ConnackTimeout,

        /// <summary>No PINGRESP within one keep-alive period after PINGREQ.</summary>
        KeepAliveTimeout
    }
}
