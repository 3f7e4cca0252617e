using System;
using System.Reflection;
using Device.Broker;
using Device.Client;
using Device.Hardware;
using Device.Net;
using Device.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// What one bridge costs (Device.Net/Bridge/BridgeFootprint): its field counts against the classes, its host
    /// estimate against what the GC saw while one was built, and the board's trade (Settings.WithBridge: packets of
    /// 512 B instead of 1 KB, for the clients and the bridge): the Device profile with Settings.ClientsWithBridge
    /// clients, the bridge's local side, the board store and the bridge itself stay within 48 KB, and one client more
    /// would not.
    /// </summary>
    public sealed class BridgeFootprintTests
    {
        private const long BoardBytes = 48 * 1024;
        private readonly ITestOutputHelper _out;

        public BridgeFootprintTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Theory]
        [InlineData("Device.Net.Bridge, Device.Net", BridgeFootprint.BridgeFields)]
        [InlineData("Device.Client.MqttClient, Device.Client", BridgeFootprint.ClientFields)]
        [InlineData("Device.Client.InflightTable, Device.Client", BridgeFootprint.InflightFields)]
        [InlineData("Device.Protocol.ConnectView, Device.Protocol", BridgeFootprint.ConnectViewFields)]
        [InlineData("Device.Protocol.FixedHeader, Device.Protocol", BridgeFootprint.FixedHeaderFields)]
        [InlineData("Device.Protocol.PublishView, Device.Protocol", BridgeFootprint.PublishViewFields)]
        [InlineData("Device.Protocol.ConnackView, Device.Protocol", BridgeFootprint.ConnackViewFields)]
        [InlineData("Device.Protocol.SubackView, Device.Protocol", BridgeFootprint.SubackViewFields)]
        [InlineData("Device.Client.ConnectOptions, Device.Client", BridgeFootprint.ConnectOptionsFields)]
        public void The_measure_counts_every_field_of_what_a_bridge_builds(string typeName, int declared)
        {
            // By name: InflightTable is internal to Device.Client.
            Type type = Type.GetType(typeName, true);
            int fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length;
            Assert.True(fields == declared, type.Name + " has " + fields + " instance fields; BridgeFootprint declares " + declared);
        }

        [Fact]
        public void The_estimate_matches_what_building_a_board_bridge_allocates()
        {
            BridgeOptions o = BoardBridge();
            BrokerEngine engine = new BrokerEngine(BrokerOptions.Device());
            Footprint f = new Footprint();
            BridgeFootprint.Measure(f, o);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Bridge b = new Bridge(o, engine);
            long measured = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(b);
            _out.WriteLine("bridge: host estimate " + f.HostBytes + " B, measured " + measured + " B, device estimate " + f.DeviceBytes + " B");
            // The buffers are exact; the CONNECT sources and temporaries are estimated: within 5 %.
            Assert.InRange(f.HostBytes, measured * 95 / 100, measured * 105 / 100);
        }

        [Fact]
        public void On_the_board_a_bridge_is_paid_for_with_clients_and_stays_within_48_KB()
        {
            Footprint bridge = new Footprint();
            BridgeFootprint.Measure(bridge, BoardBridge());
            long with = Board(Settings.ClientsWithBridge, bridge);
            long oneMore = Board(Settings.ClientsWithBridge + 1, bridge);
            BrokerOptions plain = BrokerOptions.Device();
            BrokerOptions bridged = Settings.WithBridge(BrokerOptions.Device());
            bridged.MaxClients = Settings.ClientsWithBridge + 1;
            new BrokerEngine(bridged);
            long without = Budget.For(plain).Total.DeviceBytes + Budget.BoardStore(plain).DeviceBytes;
            _out.WriteLine("board without a bridge: " + plain.MaxClients + " clients, " + without + " B");
            _out.WriteLine("one bridge (two client engines, buffers, tables): " + bridge.DeviceBytes + " B on the board");
            _out.WriteLine("board with a bridge: " + Settings.ClientsWithBridge + " clients + the bridge's local side + the bridge: " + with + " B; one client more: " + oneMore + " B");
            Assert.True(with <= BoardBytes, "with the bridge: " + with + " B");
            Assert.True(oneMore > BoardBytes, "a client more would still fit (" + oneMore + " B): ClientsWithBridge can be raised");
        }

        /// <summary>The board's bridged profile with this many clients plus the bridge's local side, the board store and the bridge.</summary>
        private static long Board(int clients, Footprint bridge)
        {
            BrokerOptions o = Settings.WithBridge(BrokerOptions.Device());
            o.MaxClients = clients + 1;
            return Budget.For(o).Total.DeviceBytes + Budget.BoardStore(o).DeviceBytes + bridge.DeviceBytes;
        }

        /// <summary>A bridge as the board's settings build it (hardware/settings.example.json's bridge).</summary>
        private static BridgeOptions BoardBridge()
        {
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"bridge\": {\"name\": \"site\", \"address\": \"192.168.1.10:1883\", \"remoteClientId\": \"gateway-1\","
                + " \"topics\": [\"sensors/# out 1 \\\"\\\" site/gw1/\", \"cmd/# in 1 \\\"\\\" site/gw1/\"]}}", s));
            return s.Bridge;
        }
    }
}
