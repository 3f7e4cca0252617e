namespace Device.Client
{
    /// <summary>
    /// Asked by <see cref="MqttClient.Received(int, long, IPublishGate)"/> before it processes each PUBLISH: false stops
    /// processing there, the PUBLISH (and what follows it) staying in ReceiveBuffer unacknowledged until a later call.
    /// The bridge passes itself, so it can read everything the socket holds (many acks in one read) and still never
    /// acknowledge a message the other side has no room to take (an ack is a promise: [MQTT-4.3.2-2], [MQTT-4.3.3-2]).
    /// </summary>
    public interface IPublishGate
    {
        /// <summary>True when the message the client is about to deliver can be taken now.</summary>
        bool TakesPublish(MqttClient client);
    }
}
