using Device.Broker;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>Options for tests: the Device profile, which every test runs against unless it needs a limit changed.</summary>
    public static class TestOptions
    {
        public static BrokerOptions Device()
        {
            return BrokerOptions.Device();
        }

        /// <summary>The Device profile with the embedding API's state allocated (BrokerOptions.Embedded).</summary>
        public static BrokerOptions Embedded()
        {
            BrokerOptions o = BrokerOptions.Device();
            o.Embedded = true;
            return o;
        }

        /// <summary>Few clients, for slot and capacity tests.</summary>
        public static BrokerOptions Clients(int maxClients, int spare)
        {
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = maxClients;
            o.SpareConnections = spare;
            return o;
        }
    }
}
