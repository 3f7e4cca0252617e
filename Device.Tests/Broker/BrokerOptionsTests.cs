using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class BrokerOptionsTests
    {
        [TestMethod]
        public void Both_profiles_are_usable()
        {
            Assert.IsNull(BrokerOptions.Device().Check());
            Assert.IsNull(BrokerOptions.Host().Check());
        }

        [TestMethod]
        [DataRow("InflightPerSession", 32768)]
        [DataRow("IncomingQos2PerSession", 32768)]
        [DataRow("MaxSubscriptionsPerClient", 32768)]
        public void Per_session_counts_beyond_their_16_bit_index_are_refused_with_the_range(string field, int value)
        {
            // Per-session counters are shorts: 100000 queued messages once started and then died in the old
            // MessageQueue.PeekMessage under load (issue 9). Whatever is still 16-bit is refused at start-up, with the range.
            BrokerOptions o = BrokerOptions.Device();
            Set(o, field, value);
            string problem = o.Check();
            Assert.IsNotNull(problem, field + " " + value.ToString() + " was accepted");
            Assert.Contains(field, problem);
            Assert.Contains("32767", problem);
        }

        [TestMethod]
        [DataRow("InflightPerSession")]
        [DataRow("IncomingQos2PerSession")]
        public void Per_session_counts_at_their_largest_are_accepted(string field)
        {
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = 1;
            o.MaxPersistentSessions = 0;
            Set(o, field, 32767);
            Assert.IsNull(o.Check());
        }

        [TestMethod]
        public void Buffers_whose_total_overflows_an_array_are_refused()
        {
            // 100 connections of 100 MB each is more than one array (the receive buffers are one) can hold.
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = 100;
            o.MaxPacketSize = 100000000;
            o.TxBufferSize = 100000000;
            string problem = o.Check();
            Assert.IsNotNull(problem);
            Assert.Contains("MaxPacketSize", problem);
        }

        private static void Set(BrokerOptions o, string field, int value)
        {
            if (field == "InflightPerSession")
            {
                o.InflightPerSession = value;
            }
            else if (field == "IncomingQos2PerSession")
            {
                o.IncomingQos2PerSession = value;
            }
            else
            {
                o.MaxSubscriptionsPerClient = value;
            }
        }
    }
}
