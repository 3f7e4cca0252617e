namespace Device.Broker
{
    /// <summary>Why a connection ended (or is ending): for the transport's log and for tests.</summary>
    public enum CloseReason : byte
    {
        None = 0,

        /// <summary>The client sent DISCONNECT: its will is discarded.</summary>
        ClientDisconnected,

        /// <summary>The transport reported the connection gone (reset, EOF, send failure) before any decision of the engine.</summary>
        NetworkClosed,

        /// <summary>The codec rejected a packet; <see cref="BrokerEngine.ViolationOf"/> tells which rule.</summary>
        ProtocolViolation,

        /// <summary>A well-formed packet at the wrong time: not CONNECT first, a second CONNECT, or a packet only servers send.</summary>
        UnexpectedPacket,

        /// <summary>Nothing received for 1.5 times the keep-alive ([MQTT-3.1.2-24]).</summary>
        KeepAliveExpired,

        /// <summary>No CONNECT within BrokerOptions.ConnectTimeoutMs.</summary>
        ConnectTimeout,

        /// <summary>A new connection presented the same client id ([MQTT-3.1.4-2]).</summary>
        TakenOver,

        /// <summary>CONNACK with a non-zero return code was sent ([MQTT-3.2.2-5]).</summary>
        ConnectRefused,

        /// <summary>
        /// A subscriber held a publisher back and took nothing for BrokerOptions.StallTimeoutMs (Flow/BackPressure.cs):
        /// the will is published, a persistent session keeps what the offline limits allow.
        /// </summary>
        Stalled,

        /// <summary>A reload of the users took this client's access away (its user is gone, or anonymous access is off).</summary>
        AccessRevoked,

        /// <summary>A reply (ack, CONNACK, SUBACK...) did not fit the room reserved for it: see Counters.RepliesNotWritten.</summary>
        ReplyNotWritten
    }
}
