using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandlePingTests
    {
        [TestMethod]
        public void Pingreq_is_answered_with_pingresp()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("pinger", true);
            c.Send(TestPackets.Pingreq());
            int offset;
            c.Expect(PacketType.Pingresp, out offset);
            c.ExpectNothing();
        }

        [TestMethod]
        public void Pingreq_with_a_body_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("pinger", true);
            c.Send(new byte[] { 0xC0, 0x01, 0x00 });
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.LengthMismatch, (int)net.Engine.ViolationOf(c.Handle));
        }
    }
}
