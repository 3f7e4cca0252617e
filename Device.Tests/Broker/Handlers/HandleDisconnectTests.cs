using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandleDisconnectTests
    {
        [TestMethod]
        public void Disconnect_closes_the_connection_without_the_will()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient watcher = net.Connect("watcher", true);
            watcher.Subscribe("wills/#", 0);
            ConnectSpec spec = new ConnectSpec("leaver");
            spec.WillTopic = "wills/leaver";
            spec.WillMessage = "gone";
            FakeClient c = net.Connect(spec);
            c.Send(TestPackets.Disconnect());
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.ClientDisconnected, (int)net.Engine.CloseReasonOf(c.Handle));
            watcher.ExpectNothing();
            Assert.AreEqual(0, (int)net.Engine.Counters.WillsPublished);
            Assert.AreEqual(1, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Bytes_after_disconnect_are_ignored()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient watcher = net.Connect("watcher", true);
            watcher.Subscribe("t", 0);
            FakeClient c = net.Connect("c", true);
            byte[] d = TestPackets.Disconnect();
            byte[] p = TestPackets.Publish("t", "after", 0, 0);
            byte[] both = new byte[d.Length + p.Length];
            System.Array.Copy(d, 0, both, 0, d.Length);
            System.Array.Copy(p, 0, both, d.Length, p.Length);
            c.Send(both);
            watcher.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
        }
    }
}
