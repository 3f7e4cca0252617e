using System.Linq;
using Xunit;

namespace Host.Tests
{
    public class DeviceTestAdapterTests
    {
        [Fact]
        public void Every_data_row_becomes_its_own_case()
        {
            var names = DeviceTestAdapter.Cases().Select(c => (string)c[0]).ToList();
            Assert.Contains("Device.Tests.TestFrameworkTests.DataRow_passes_each_row#0(3, 4, 7)", names);
            Assert.Contains("Device.Tests.TestFrameworkTests.DataRow_passes_each_row#1(-1, 1, 0)", names);
            Assert.Contains("Device.Tests.TestFrameworkTests.AreEqual_fails_on_different_values", names);
        }

        [Fact]
        public void A_failing_device_assertion_fails_the_case()
        {
            var method = typeof(DeviceStyleCanary).GetMethod(nameof(DeviceStyleCanary.Fails_on_purpose));
            Assert.Throws<TestFrameworkShared.AssertFailedException>(() => DeviceTestAdapter.Execute(method, null));
        }
    }
}
