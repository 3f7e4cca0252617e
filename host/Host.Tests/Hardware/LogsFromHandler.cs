using Device.Broker;
using Device.Hardware;

namespace Host.Tests
{
    /// <summary>A local handler that writes a log line while the engine routes, as TransportLog and the hooks do on the board.</summary>
    internal sealed class LogsFromHandler : IMessageHandler
    {
        private readonly LogTopic _topic;
        public LogsFromHandler(LogTopic topic)
        {
            _topic = topic;
        }

        public void OnMessage(LocalMessage message)
        {
            _topic.Add(LogLevel.Info, "handler saw " + message.Topic.ToString());
            _topic.Flush();
        }
    }
}
