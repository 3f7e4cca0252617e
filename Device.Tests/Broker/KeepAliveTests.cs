using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class KeepAliveTests
    {
        private static FakeClient Client(FakeNet net, ushort keepAlive)
        {
            ConnectSpec spec = new ConnectSpec("k");
            spec.KeepAlive = keepAlive;
            return net.Connect(spec);
        }

        [TestMethod]
        public void Silence_beyond_one_and_a_half_keep_alive_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = Client(net, 20);
            net.Advance(30000);
            Assert.IsFalse(c.IsClosed, "exactly 1.5 x keep-alive is still in time");
            net.Advance(1);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.KeepAliveExpired, (int)net.Engine.CloseReasonOf(c.Handle));
            Assert.AreEqual(1, (int)net.Engine.Counters.KeepAliveExpired);
            Assert.AreEqual(0, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Any_packet_restarts_the_keep_alive_timer()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = Client(net, 20);
            for (int i = 0; i < 10; i++)
            {
                net.Advance(25000);
                c.Send(i % 2 == 0 ? TestPackets.Pingreq() : TestPackets.Publish("t", "x", 0, 0));
            }

            Assert.IsFalse(c.IsClosed);
            net.Advance(30001);
            Assert.IsTrue(c.IsClosed);
        }

        [TestMethod]
        public void Keep_alive_zero_never_expires_when_the_options_allow_it()
        {
            BrokerOptions o = TestOptions.Device();
            o.KeepAliveMaxSeconds = 0;
            FakeNet net = new FakeNet(o);
            FakeClient c = Client(net, 0);
            net.Advance(10L * 24 * 3600 * 1000);
            Assert.IsFalse(c.IsClosed);
        }

        [TestMethod]
        [DataRow(0, 0, 1000000, false)]
        [DataRow(10, 0, 15000, false)]
        [DataRow(10, 0, 15001, true)]
        [DataRow(65535, 0, 98302500, false)]
        [DataRow(65535, 0, 98302501, true)]
        public void Expired_means_silence_longer_than_one_and_a_half_keep_alive(int keepAlive, int last, int now, bool expired)
        {
            Assert.AreEqual(expired, KeepAlive.Expired(now, last, keepAlive));
        }
    }
}
