using nanoFramework.TestFramework;

namespace Host.Tests
{
    // Not a [TestClass]: it is run by name only, to prove the adapter reports a device-style failure.
    public class DeviceStyleCanary
    {
        public void Fails_on_purpose()
        {
            Assert.AreEqual(1, 2);
        }
    }
}
