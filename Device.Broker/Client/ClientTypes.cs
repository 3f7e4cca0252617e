using Device.Protocol;

namespace Device.Broker.Client
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

    /// <summary>Outcome of an operation the application asked for; never thrown.</summary>
    public enum ClientResult
    {
        Ok,

        /// <summary>The operation needs an accepted connection (or, for Connect, a disconnected engine).</summary>
        WrongState,

        /// <summary>The transmit buffer has not enough room now: drain it (Sent) and try again.</summary>
        TransmitBufferFull,

        /// <summary>Every in-flight slot is taken: wait for PublishFinished, Subscribed or Unsubscribed.</summary>
        InflightFull,

        /// <summary>Empty topic, wildcard in a topic name, malformed filter or invalid UTF-8.</summary>
        InvalidTopic,

        /// <summary>QoS above 2.</summary>
        InvalidQos,

        /// <summary>The packet can never fit the transmit buffer (or, for QoS 1/2, an in-flight slot).</summary>
        TooLarge,

        /// <summary>A null array, a count of 0, or a field longer than 65535 bytes.</summary>
        InvalidArgument
    }

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

    /// <summary>
    /// What the engine tells the application. Calls happen inside Received, Tick or Connect, on the caller's
    /// thread. Buffers handed out are the engine's own: copy what must outlive the call. From inside a
    /// callback the application may Publish, Subscribe, Unsubscribe or Disconnect, but not Connect.
    /// </summary>
    public interface IClientListener
    {
        /// <summary>CONNACK arrived; returnCode 0 means accepted, anything else is followed by Closed(Refused).</summary>
        void Connected(MqttClient client, byte returnCode, bool sessionPresent);

        /// <summary>
        /// An application message. Delivered once per message even for QoS 2 (the packet id is remembered until
        /// PUBREL, so a redelivered PUBLISH is acknowledged but not delivered again). Slices index buffer.
        /// </summary>
        void MessageReceived(MqttClient client, byte[] buffer, PublishView message);

        /// <summary>SUBACK: one code per filter, in order (granted QoS 0-2, or 0x80 = failure).</summary>
        void Subscribed(MqttClient client, ushort packetId, byte[] buffer, Slice returnCodes);

        void Unsubscribed(MqttClient client, ushort packetId);

        /// <summary>
        /// The end of an outgoing QoS 1/2 publish: acknowledged (PUBACK or PUBCOMP), or dropped because the
        /// session it belonged to is gone (clean session, or the server reported no session).
        /// </summary>
        void PublishFinished(MqttClient client, ushort packetId, bool acknowledged);

        /// <summary>The engine is Disconnected now; close the transport.</summary>
        void Closed(MqttClient client, ClientError reason);

        /// <summary>Every packet sent or received, only while MqttClient.TraceEnabled (for debug output).</summary>
        void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header);
    }
}
