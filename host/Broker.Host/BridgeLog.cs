using Device.Broker;
using Device.Net;

namespace Broker.Host
{
    /// <summary>Bridge events in the broker's log, prefixed as Mosquitto's are ("Bridge NAME ...").</summary>
    public sealed class BridgeLog : IBridgeLog
    {
        private readonly MosquittoLog _log;

        public BridgeLog(MosquittoLog log)
        {
            _log = log;
        }

        public void BridgeLine(string name, string text)
        {
            _log.Notice("Bridge " + name + ": " + text);
        }
    }
}
