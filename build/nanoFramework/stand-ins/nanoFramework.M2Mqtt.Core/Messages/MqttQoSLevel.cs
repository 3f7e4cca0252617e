namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>Stand-in of M2Mqtt's MqttQoSLevel (same members, values and order as the real enum).</summary>
    public enum MqttQoSLevel
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }
}
