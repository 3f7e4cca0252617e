using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class BudgetTests
    {
        [TestMethod]
        public void Device_profile_preallocates_at_most_48_KB()
        {
            Budget b = Budget.For(BrokerOptions.Device());
            OutputHelper.WriteLine(b.Report());
            Assert.IsTrue(b.Total.DeviceBytes <= 48 * 1024, "device estimate " + b.Total.DeviceBytes.ToString());
        }

        [TestMethod]
        public void One_more_client_costs_its_buffers_and_its_session_state()
        {
            BrokerOptions o = BrokerOptions.Device();
            long before = Budget.For(o).Lines[0].DataBytes;
            o.MaxClients++;
            long after = Budget.For(o).Lines[0].DataBytes;
            Assert.AreEqual((long)(o.MaxPacketSize + o.TxBufferSize), after - before);
        }

        [TestMethod]
        public void Bad_options_are_refused_at_construction()
        {
            BrokerOptions o = BrokerOptions.Device();
            o.TxBufferSize = o.MaxPacketSize - 1;
            Assert.IsNotNull(o.Check());
            Assert.ThrowsException(typeof(System.ArgumentException), () => new Device.Broker.BrokerEngine(o));
            Assert.IsNull(BrokerOptions.Device().Check());
            Assert.IsNull(BrokerOptions.Host().Check());
        }
    }
}
