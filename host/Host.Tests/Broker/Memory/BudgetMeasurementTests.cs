using System;
using Device.Broker;
using Xunit.Abstractions;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The preallocation report (Budget) against what the .NET GC really hands out while a Broker is built,
    /// for both profiles. The report is computed from the options alone; this proves it lists every array.
    /// </summary>
    public class BudgetMeasurementTests
    {
        private readonly ITestOutputHelper _output;

        public BudgetMeasurementTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("Device")]
        [InlineData("Host")]
        public void Budget_matches_the_bytes_allocated_by_the_constructor(string profile)
        {
            BrokerOptions options = profile == "Device" ? BrokerOptions.Device() : BrokerOptions.Host();
            Budget budget = Budget.For(options);
            // Once first, so that type initialisation and JIT are not counted.
            GC.KeepAlive(new BrokerEngine(options));

            // The least of three: a GC that the large allocations set off can add a little runtime noise of its
            // own to the counter, never take anything away.
            long measured = long.MaxValue;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                GC.Collect();
                long before = GC.GetAllocatedBytesForCurrentThread();
                BrokerEngine engine = new BrokerEngine(options);
                measured = Math.Min(measured, GC.GetAllocatedBytesForCurrentThread() - before);
                GC.KeepAlive(engine);
            }

            _output.WriteLine(profile + " profile: measured " + measured + " bytes on the host; budget: data " + budget.Total.DataBytes
                + ", host estimate " + budget.Total.HostBytes + ", device estimate " + budget.Total.DeviceBytes
                + " (" + budget.Total.Arrays + " arrays, " + budget.Total.Objects + " objects)");
            _output.WriteLine(budget.Report());

            Assert.True(measured >= budget.Total.DataBytes, "cannot allocate less than the table contents");
            // Arrays are exact; object sizes are estimated at 8 bytes per field, so allow a little per object.
            Assert.InRange(measured, budget.Total.HostBytes - 8 * budget.Total.Objects, budget.Total.HostBytes + 8 * budget.Total.Objects);
        }

        [Fact]
        public void Device_profile_fits_48_KB()
        {
            Budget budget = Budget.For(BrokerOptions.Device());
            Assert.True(budget.Total.DeviceBytes <= 48 * 1024, budget.Total.DeviceBytes.ToString());
        }
    }
}
