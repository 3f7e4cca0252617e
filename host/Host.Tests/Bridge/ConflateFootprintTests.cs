using System;
using System.Reflection;
using Device.Broker;
using Device.Hardware;
using Device.Net;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// What `conflate` costs (ConflateTable.Measure, through BridgeFootprint): nothing without a conflate line, its
    /// estimate against what the GC saw, the cost per slot on the board, and the largest table the board's settings
    /// accept (Settings.BoardConflateSlots of Settings.BoardConflateSlotBytes) still fits 48 KB beside the bridge and
    /// Settings.ClientsWithBridge clients.
    /// </summary>
    public sealed class ConflateFootprintTests
    {
        private const long BoardBytes = 48 * 1024;
        private readonly ITestOutputHelper _out;

        public ConflateFootprintTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Fact]
        public void The_measure_counts_every_field_of_the_table()
        {
            int fields = typeof(ConflateTable).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length;
            Assert.Equal(ConflateTable.Fields, fields);
        }

        [Fact]
        public void Without_conflate_a_bridge_costs_what_it_did_and_with_it_the_estimate_matches_the_allocation()
        {
            BridgeOptions plain = BoardBridge(null);
            BridgeOptions with = BoardBridge("\"conflate\": [\"sensors/+/temp\"], \"conflateSlots\": 8, \"conflateSlotBytes\": 64");
            Footprint a = new Footprint();
            BridgeFootprint.Measure(a, plain);
            Footprint b = new Footprint();
            BridgeFootprint.Measure(b, with);
            Footprint table = new Footprint();
            BridgeFootprint.Conflate(table, 8, 64);
            Assert.Equal(a.DeviceBytes + table.DeviceBytes, b.DeviceBytes);

            BrokerEngine engine = new BrokerEngine(BrokerOptions.Device());
            long before = GC.GetAllocatedBytesForCurrentThread();
            ConflateTable t = new ConflateTable(with.Conflate, with.ConflateCount, 8, 64);
            long measured = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(t);
            GC.KeepAlive(engine);
            _out.WriteLine("table of 8 x 64 B: host estimate " + table.HostBytes + " B, measured " + measured + " B, device estimate " + table.DeviceBytes + " B");
            Assert.Equal(measured, table.HostBytes);
        }

        [Fact]
        public void On_the_board_each_slot_costs_its_bytes_plus_9_and_the_largest_table_fits_48_KB()
        {
            Footprint one = new Footprint();
            BridgeFootprint.Conflate(one, 1, Settings.BoardConflateSlotBytes);
            Footprint two = new Footprint();
            BridgeFootprint.Conflate(two, 2, Settings.BoardConflateSlotBytes);
            Footprint largest = new Footprint();
            BridgeFootprint.Conflate(largest, Settings.BoardConflateSlots, Settings.BoardConflateSlotBytes);
            Footprint byDefault = new Footprint();
            BridgeFootprint.Conflate(byDefault, Settings.BoardConflateSlotsDefault, Settings.BoardConflateSlotBytes);

            Footprint bridge = new Footprint();
            BridgeFootprint.Measure(bridge, BoardBridge(null));
            BrokerOptions o = Settings.WithBridge(BrokerOptions.Device());
            o.MaxClients = Settings.ClientsWithBridge + 1;
            long board = Budget.For(o).Total.DeviceBytes + Budget.BoardStore(o).DeviceBytes + bridge.DeviceBytes;
            _out.WriteLine("board with a bridge, no conflate: " + board + " B of " + BoardBytes);
            _out.WriteLine("conflate table on the board: " + one.DeviceBytes + " B for 1 slot, " + two.DeviceBytes + " B for 2 (of "
                + Settings.BoardConflateSlotBytes + " B each); default " + Settings.BoardConflateSlotsDefault + " slots " + byDefault.DeviceBytes
                + " B; largest (" + Settings.BoardConflateSlots + ") " + largest.DeviceBytes + " B: board " + (board + largest.DeviceBytes) + " B");
            // Per slot: its bytes, two ints and a bool (array headers rounded to the 12-byte heap unit aside).
            Assert.InRange(two.DeviceBytes - one.DeviceBytes, Settings.BoardConflateSlotBytes, Settings.BoardConflateSlotBytes + 9 + 3 * Footprint.DeviceHeapUnit);
            Assert.True(board + largest.DeviceBytes <= BoardBytes, "the largest board table does not fit: " + (board + largest.DeviceBytes) + " B");
            // The Device profile without a bridge is untouched (no conflate field, no table): its total is Budget's alone.
            Assert.Equal(0, new Footprint().DeviceBytes);
        }

        private static BridgeOptions BoardBridge(string extra)
        {
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"bridge\": {\"name\": \"site\", \"address\": \"192.168.1.10:1883\", \"remoteClientId\": \"gateway-1\","
                + " \"topics\": [\"sensors/# out 1 \\\"\\\" site/gw1/\", \"cmd/# in 1 \\\"\\\" site/gw1/\"]" + (extra != null ? ", " + extra : "") + "}}", s));
            return s.Bridge;
        }
    }
}
