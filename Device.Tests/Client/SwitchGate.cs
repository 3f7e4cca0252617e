using Device.Client;

namespace Device.Tests
{
    /// <summary>An IPublishGate a test opens and closes: counts how often the client asked.</summary>
    public sealed class SwitchGate : IPublishGate
    {
        public bool Open;
        public int Asked;

        public bool TakesPublish(MqttClient client)
        {
            Asked++;
            return Open;
        }
    }
}
