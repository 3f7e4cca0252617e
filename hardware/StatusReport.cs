using Device.Broker;

namespace Device.Hardware
{
    /// <summary>
    /// The periodic status line: where the broker is, how many clients, how much traffic, how much heap is left.
    /// </summary>
    internal sealed class StatusReport
    {
        // Qualified: inside Device.Hardware a bare "Broker" names the namespace Device.Broker, not the engine.
        private readonly Device.Broker.BrokerEngine _broker;
        private readonly int _port;
        private readonly long _intervalMs;
        private long _next;

        public StatusReport(Device.Broker.BrokerEngine broker, int port, int intervalSeconds, long now)
        {
            _broker = broker;
            _port = port;
            _intervalMs = intervalSeconds * 1000L;
            _next = now + _intervalMs;
        }

        public void MaybeReport(long now, string address)
        {
            // A clock that jumped backwards (SNTP correcting the time) must not silence the report for years.
            if (now < _next && _next - now <= _intervalMs)
            {
                return;
            }

            _next = now + _intervalMs;
            Report(address);
        }

        public void Report(string address)
        {
            Counters c = _broker.Counters;

            // nanoFramework has no cheaper way to read the free heap than a collection; without compaction it
            // is a short pause once a minute, and it returns what the next allocation can really count on.
            uint free = nanoFramework.Runtime.Native.GC.Run(false);

            Log.Line("status: " + (address == null ? "no address" : address + ":" + _port.ToString())
                + " | clients " + c.ClientsConnected.ToString() + "/" + _broker.Options.MaxClients.ToString()
                + " | in " + c.MessagesReceived.ToString() + " out " + c.MessagesSent.ToString()
                + " dropped " + c.MessagesDropped.ToString()
                + " | subs " + c.Subscriptions.ToString() + " retained " + c.RetainedMessages.ToString()
                + " | refused " + c.ConnectionsRefused.ToString()
                + " | free " + free.ToString() + " B");
        }
    }
}
