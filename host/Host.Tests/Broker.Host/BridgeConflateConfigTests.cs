using System.Collections.Generic;
using System.Text;
using Broker.Host;
using Device.Hardware;
using Device.Net;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The `conflate` lines of a `connection` block (ours, not Mosquitto's) and the board settings' "conflate" keys: the
    /// accepted forms, and each bad value refused at start-up with file:line (or the settings line) and the allowed range.
    /// </summary>
    public class BridgeConflateConfigTests
    {
        private static List<FileError> Apply(BrokerSettings s, params string[] lines)
        {
            return ConfigFile.Apply("broker.conf", lines, "/etc/broker", s);
        }

        [Fact]
        public void Conflate_lines_are_read_into_the_connection_with_their_sizes()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example", "topic sensors/# out 0", "conflate sensors/+/temp", "conflate meter/#",
                "conflate_slots 64", "conflate_slot_bytes 256"));
            BridgeOptions b = Assert.Single(s.Bridges);
            Assert.Equal(2, b.ConflateCount);
            Assert.Equal("sensors/+/temp", Encoding.UTF8.GetString(b.Conflate[0]));
            Assert.Equal("meter/#", Encoding.UTF8.GetString(b.Conflate[1]));
            Assert.Equal(64, b.ConflateSlots);
            Assert.Equal(256, b.ConflateSlotBytes);
            Assert.Null(b.Check());
        }

        [Fact]
        public void Without_a_conflate_line_there_is_no_table_and_the_defaults_are_documented_ones()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example", "topic sensors/# out 0", "conflate sensors/#"));
            BridgeOptions b = Assert.Single(s.Bridges);
            Assert.Equal(BridgeOptions.DefaultConflateSlots, b.ConflateSlots);
            Assert.Equal(16, b.ConflateSlots);
            Assert.Equal(128, b.ConflateSlotBytes);

            BrokerSettings plain = new BrokerSettings();
            Assert.Empty(Apply(plain, "connection hub", "address hub.example", "topic sensors/# out 0"));
            BridgeOptions p = Assert.Single(plain.Bridges);
            Assert.Equal(0, p.ConflateCount);
            Assert.Null(p.Conflate);
            Assert.Null(new Bridge(p, new Device.Broker.BrokerEngine(Device.Broker.BrokerOptions.Host())).Conflation);
        }

        [Theory]
        [InlineData("conflate sensors/#/temp", "conflate: 'sensors/#/temp' is not a valid topic filter")]
        [InlineData("conflate a b", "conflate takes one topic filter (one line per pattern)")]
        [InlineData("conflate_slots 0", "conflate_slots: 0 is outside 1..1024 (distinct topics held)")]
        [InlineData("conflate_slots 1025", "conflate_slots: 1025 is outside 1..1024")]
        [InlineData("conflate_slots many", "conflate_slots: 'many' is not a whole number")]
        [InlineData("conflate_slot_bytes 4", "conflate_slot_bytes: 4 is outside 8..1024 (topic plus payload bytes per slot, at most the bridge's packet size)")]
        [InlineData("conflate_slot_bytes 2048", "conflate_slot_bytes: 2048 is outside 8..1024")]
        public void A_bad_conflate_line_is_refused_with_file_line_and_the_allowed_range(string line, string reason)
        {
            List<FileError> errors = Apply(new BrokerSettings(), "connection hub", "topic sensors/# out 0", line);
            FileError e = Assert.Single(errors);
            Assert.Equal(3, e.Line);
            Assert.StartsWith("broker.conf:3: " + reason, e.ToString());
        }

        [Fact]
        public void Nine_conflate_patterns_are_refused_at_the_ninth()
        {
            List<string> lines = new List<string> { "connection hub", "topic s/# out 0" };
            for (int i = 0; i < 9; i++)
            {
                lines.Add("conflate s/" + i);
            }

            FileError e = Assert.Single(Apply(new BrokerSettings(), lines.ToArray()));
            Assert.StartsWith("broker.conf:11: at most 8 conflate patterns per connection", e.ToString());
        }

        [Fact]
        public void Conflate_outside_a_connection_block_is_refused()
        {
            FileError e = Assert.Single(Apply(new BrokerSettings(), "conflate sensors/#"));
            Assert.StartsWith("broker.conf:1: conflate belongs in a 'connection NAME' block", e.ToString());
        }

        [Fact]
        public void The_board_settings_take_conflate_as_a_list_or_one_string_with_the_board_sizes()
        {
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"bridge\": {\"name\": \"site\", \"address\": \"10.0.0.1\", \"topics\": [\"sensors/# out 0\"],"
                + " \"conflate\": [\"sensors/+/temp\", \"meter/#\"], \"conflateSlots\": 8, \"conflateSlotBytes\": 48}}", s));
            Assert.Equal(2, s.Bridge.ConflateCount);
            Assert.Equal(8, s.Bridge.ConflateSlots);
            Assert.Equal(48, s.Bridge.ConflateSlotBytes);

            Settings one = new Settings();
            Assert.Null(SettingsJson.Parse("{\"bridge\": {\"name\": \"site\", \"address\": \"10.0.0.1\", \"topics\": [\"sensors/# out 0\"],"
                + " \"conflate\": \"sensors/#\"}}", one));
            Assert.Equal(1, one.Bridge.ConflateCount);
            Assert.Equal(Settings.BoardConflateSlotsDefault, one.Bridge.ConflateSlots);
            Assert.Equal(Settings.BoardConflateSlotBytes, one.Bridge.ConflateSlotBytes);

            Settings none = new Settings();
            Assert.Null(SettingsJson.Parse("{\"bridge\": {\"name\": \"site\", \"address\": \"10.0.0.1\", \"topics\": [\"sensors/# out 0\"]}}", none));
            Assert.Equal(0, none.Bridge.ConflateCount);
        }

        [Theory]
        [InlineData("\"conflate\": [\"a/#/b\"]", "\"bridge\".\"conflate\": conflate: 'a/#/b' is not a valid topic filter")]
        [InlineData("\"conflate\": [1]", "\"bridge\".\"conflate\" must be a list of strings")]
        [InlineData("\"conflate\": true", "\"bridge\".\"conflate\" must be a list of topic filters")]
        [InlineData("\"conflateSlots\": 0", "\"bridge\".\"conflateSlots\" must be a number of topics from 1 to 8")]
        [InlineData("\"conflateSlots\": 9", "\"bridge\".\"conflateSlots\" must be a number of topics from 1 to 8")]
        [InlineData("\"conflateSlotBytes\": 65", "\"bridge\".\"conflateSlotBytes\" must be a number of bytes (topic and payload) from 8 to 64 (the board's RAM)")]
        public void A_bad_board_conflate_value_is_refused_with_its_line_and_the_allowed_values(string member, string reason)
        {
            Settings s = new Settings();
            string text = "{\n\"bridge\": {\n\"name\": \"site\",\n\"address\": \"10.0.0.1:1883\",\n\"topics\": [\"ok/# out 0\"],\n" + member + "\n}\n}";
            string error = SettingsJson.Parse(text, s);
            Assert.NotNull(error);
            Assert.StartsWith("line 6: " + reason, error);
        }
    }
}
