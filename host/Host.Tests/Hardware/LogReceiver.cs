using Device.Broker;

namespace Host.Tests
{
    /// <summary>A local subscriber that counts what it gets and keeps the last topic and payload as text.</summary>
    internal sealed class LogReceiver : IMessageHandler
    {
        public int Count;

        public string LastTopic;

        public string LastPayload;

        // Text only when asked for: the allocation test reads Count alone.
        public bool KeepText = true;

        public void OnMessage(LocalMessage message)
        {
            Count++;
            if (KeepText)
            {
                LastTopic = message.Topic.ToString();
                LastPayload = message.Payload.ToString();
            }
        }
    }
}
