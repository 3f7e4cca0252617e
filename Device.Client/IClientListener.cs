using Device.Protocol;

namespace Device.Client
{
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
        /// PUBREL, so a redelivered PUBLISH is acknowledged but not delivered again). The view's offsets index
        /// buffer; the view is the engine's own, reused for the next packet: read it during the call only.
        /// </summary>
        void MessageReceived(MqttClient client, byte[] buffer, PublishView message);

        /// <summary>SUBACK: one code per filter, in order (granted QoS 0-2, or 0x80 = failure), at buffer[codesOffset..codesOffset+codesLength).</summary>
        void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength);

        void Unsubscribed(MqttClient client, ushort packetId);

        /// <summary>
        /// The end of an outgoing QoS 1/2 publish: acknowledged (PUBACK or PUBCOMP), or dropped because the
        /// session it belonged to is gone (clean session, or the server reported no session).
        /// </summary>
        void PublishFinished(MqttClient client, ushort packetId, bool acknowledged);

        /// <summary>The engine is Disconnected now; close the transport.</summary>
        void Closed(MqttClient client, ClientError reason);

        /// <summary>Every packet sent or received, only while MqttClient.TraceEnabled (for debug output); header is reused after the call.</summary>
        void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header);
    }
}
