using System.Linq;
using System.Text;
using System;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Last-resort isolation in the transport both builds share (the board's polling platform and the PC's select
    /// platform): an exception while serving one connection closes that connection, is reported once with its
    /// exception, counted, and everyone else goes on being served.
    /// </summary>
    public class FaultIsolationTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_fault_serving_one_connection_closes_only_that_one(bool hostPlatform)
        {
            FaultyEngine faulty = null;
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(clients: 4, spare: 1), hostPlatform: hostPlatform,
                wrap: e => faulty = new FaultyEngine(e));
            using RawClient sub = new RawClient(broker.Port);
            Assert.Equal(0, sub.Connect("sub"));
            Assert.Equal(1, sub.Subscribe("news/#", 1));
            using RawClient pub = new RawClient(broker.Port);
            Assert.Equal(0, pub.Connect("pub"));

            using RawClient poison = new RawClient(broker.Port);
            poison.SendConnect(FaultyEngine.PoisonId);
            Assert.True(poison.ClosedByBroker(RawClient.Patience), "the faulting connection is closed");

            // The others are served as before.
            pub.Publish("news/a", Encoding.UTF8.GetBytes("still here"), 1, 5);
            Assert.Equal(0x40, pub.ReadPacket()[0]);
            byte[] delivered = sub.ReadPacket();
            Assert.Equal(0x32, delivered[0] & 0xF6);
            Assert.Contains("still here", Encoding.UTF8.GetString(delivered));

            Assert.Equal(1, faulty.Thrown);
            Assert.True(LoopBroker.Eventually(() => broker.Transport.Faults == 1, RawClient.Patience));
            string[] faults = broker.Events.Where(e => e.StartsWith("faulted ", StringComparison.Ordinal)).ToArray();
            Assert.Single(faults);
            Assert.Contains("injected fault while serving poison", faults[0]);
            // The engine freed the slot and the session as for a network failure.
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.ClientsConnected == 2, RawClient.Patience));
        }
    }
}
