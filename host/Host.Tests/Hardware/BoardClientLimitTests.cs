using Device.Broker;
using Device.Hardware;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// The settings file's maxClients range is the 48 KB budget's: the Device profile with Settings.MaxClientsLimit
    /// clients and the board store fits, one client more does not, so no accepted setting can take the broker over its
    /// budget (a bridge's case is BridgeFootprintTests).
    /// </summary>
    public sealed class BoardClientLimitTests
    {
        private const long BoardBytes = 48 * 1024;
        private readonly ITestOutputHelper _out;

        public BoardClientLimitTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Fact]
        public void The_largest_accepted_max_clients_fits_in_48_KB_and_one_more_would_not()
        {
            long at = Board(Settings.MaxClientsLimit);
            long over = Board(Settings.MaxClientsLimit + 1);
            _out.WriteLine("board with " + Settings.MaxClientsLimit + " clients: " + at + " B; one more: " + over + " B");
            Assert.True(at <= BoardBytes, Settings.MaxClientsLimit + " clients: " + at + " B");
            Assert.True(over > BoardBytes, "one client more still fits (" + over + " B): MaxClientsLimit can be raised");
        }

        [Fact]
        public void The_settings_file_refuses_one_client_over_the_limit()
        {
            var s = new Settings();
            string error = SettingsJson.Parse("{\"maxClients\": " + (Settings.MaxClientsLimit + 1) + "}", s);
            Assert.NotNull(error);
            Assert.Null(SettingsJson.Parse("{\"maxClients\": " + Settings.MaxClientsLimit + "}", s));
            Assert.Equal(Settings.MaxClientsLimit, s.MaxClients);
        }

        private static long Board(int clients)
        {
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = clients;
            return Budget.For(o).Total.DeviceBytes + Budget.BoardStore(o).DeviceBytes;
        }
    }
}
