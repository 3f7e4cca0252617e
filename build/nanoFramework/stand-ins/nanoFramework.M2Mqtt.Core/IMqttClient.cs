namespace nanoFramework.M2Mqtt
{
    /// <summary>
    /// Stand-in of M2Mqtt's IMqttClient, declared only because MqttClient implements it (M2Mqtt/MqttClient.cs:
    /// "public class MqttClient : IMqttClient, IDisposable"). Its members are not declared here: the samples call the class.
    /// </summary>
    public interface IMqttClient
    {
    }
}
