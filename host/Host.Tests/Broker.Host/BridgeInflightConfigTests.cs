using System.Collections.Generic;
using Broker.Host;
using Device.Net;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// `bridge_max_inflight_messages` (ours; Mosquitto's bridges use the global max_inflight_messages, 20): the PC
    /// bridge's window upstream, 20 by default, 1..255, refused with file:line and the range.
    /// </summary>
    public class BridgeInflightConfigTests
    {
        private static List<FileError> Apply(BrokerSettings s, params string[] lines)
        {
            return ConfigFile.Apply("broker.conf", lines, "/etc/broker", s);
        }

        [Fact]
        public void A_pc_bridge_keeps_mosquittos_20_messages_in_flight_by_default()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:1883", "topic a/# out 1"));
            BridgeOptions b = Assert.Single(s.Bridges);
            Assert.Equal(20, b.InflightWindow);
            Assert.Null(b.Check());
        }

        [Theory]
        [InlineData("1", 1)]
        [InlineData("64", 64)]
        [InlineData("255", 255)]
        public void The_window_is_read_into_the_connection(string value, int window)
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:1883", "topic a/# out 1", "bridge_max_inflight_messages " + value));
            BridgeOptions b = Assert.Single(s.Bridges);
            Assert.Equal(window, b.InflightWindow);
            Assert.Null(b.Check());
        }

        [Theory]
        [InlineData("0", "bridge_max_inflight_messages: 0 is outside 1..255")]
        [InlineData("256", "bridge_max_inflight_messages: 256 is outside 1..255")]
        [InlineData("many", "bridge_max_inflight_messages: 'many' is not a whole number")]
        public void A_window_out_of_range_is_refused_with_file_line_and_the_range(string value, string reason)
        {
            List<FileError> errors = Apply(new BrokerSettings(), "connection hub", "address hub.example:1883", "bridge_max_inflight_messages " + value);
            FileError e = Assert.Single(errors);
            Assert.Equal(3, e.Line);
            Assert.StartsWith("broker.conf:3: " + reason, e.ToString());
        }

        [Fact]
        public void The_window_belongs_in_a_connection_block()
        {
            FileError e = Assert.Single(Apply(new BrokerSettings(), "bridge_max_inflight_messages 20"));
            Assert.StartsWith("broker.conf:1: bridge_max_inflight_messages belongs in a 'connection NAME' block", e.ToString());
        }

        [Fact]
        public void A_window_above_mosquittos_20_is_noted_at_start_up_with_its_line_and_the_upstream_setting_it_needs()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:1883", "topic a/# out 2", "bridge_max_inflight_messages 60"));
            string note = Assert.Single(s.Notes);
            Assert.StartsWith("bridge_max_inflight_messages (broker.conf:4): above 20", note);
            Assert.Contains("discards the message", note);
            Assert.EndsWith("give the upstream max_inflight_messages 60 or more", note);
        }

        [Theory]
        [InlineData("1")]
        [InlineData("20")]
        public void A_window_within_mosquittos_20_needs_no_note(string value)
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:1883", "topic a/# out 2", "bridge_max_inflight_messages " + value));
            Assert.Empty(s.Notes);
        }
    }
}
