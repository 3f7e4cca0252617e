using Device.Hardware;
using Device.Net;
using Device.Protocol;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The settings file's "bridge" object (hardware/SettingsBridge.cs through SettingsJson): every key read into the
    /// bridge's options, and each bad value refused with its line and the allowed values, leaving the defaults.
    /// </summary>
    public class SettingsBridgeTests
    {
        private const string Example = "{\n  \"port\": 1883,\n  \"bridge\": {\n    \"name\": \"site\",\n"
            + "    \"address\": \"192.168.1.10:8883 192.168.1.11\",\n    \"topics\": [\"sensors/# out 1 \\\"\\\" site/gw1/\", \"cmd/+/set in 2 dev/ site/gw1/\", \"shared/# both\"],\n"
            + "    \"remoteClientId\": \"gateway-1\",\n    \"remoteUsername\": \"gw\",\n    \"remotePassword\": \"secret\",\n"
            + "    \"cleanSession\": true,\n    \"keepAlive\": 30,\n    \"restartTimeout\": 10,\n    \"tryPrivate\": false,\n"
            + "    \"notifications\": false,\n    \"notificationTopic\": \"site/gw1/state\",\n    \"roundRobin\": true,\n"
            + "    \"start\": \"lazy\",\n    \"protocol\": \"mqttv31\",\n    \"caFile\": \"I:\\\\ca.pem\",\n    \"serverName\": \"hub.example\"\n  },\n"
            + "  \"statusSeconds\": 30\n}";

        [Fact]
        public void Every_bridge_key_is_read_into_the_connection()
        {
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse(Example, s));
            BridgeOptions b = s.Bridge;
            Assert.Equal("site", b.Name);
            Assert.Equal(2, b.AddressCount);
            Assert.Equal("192.168.1.10", b.Hosts[0]);
            Assert.Equal(8883, b.Ports[0]);
            Assert.Equal("192.168.1.11", b.Hosts[1]);
            Assert.Equal(1883, b.Ports[1]);
            Assert.Equal(3, b.TopicCount);
            Assert.Equal("sensors/#", Text(b.Topics[0].LocalFilter));
            Assert.Equal("site/gw1/sensors/#", Text(b.Topics[0].RemoteFilter));
            Assert.Equal(BridgeDirection.Out, b.Topics[0].Direction);
            Assert.Equal(1, b.Topics[0].Qos);
            Assert.Equal("dev/cmd/+/set", Text(b.Topics[1].LocalFilter));
            Assert.Equal(BridgeDirection.In, b.Topics[1].Direction);
            Assert.Equal(2, b.Topics[1].Qos);
            Assert.Equal(BridgeDirection.Both, b.Topics[2].Direction);
            Assert.Equal(0, b.Topics[2].Qos);
            Assert.Equal("gateway-1", b.RemoteClientId);
            Assert.Equal("gw", b.RemoteUsername);
            Assert.Equal("secret", b.RemotePassword);
            Assert.True(b.CleanSession);
            Assert.Equal(30, b.KeepAliveSeconds);
            Assert.Equal(10, b.RestartBaseSeconds);
            Assert.Equal(30, b.RestartCapSeconds);
            Assert.False(b.TryPrivate);
            Assert.False(b.Notifications);
            Assert.Equal("site/gw1/state", b.StateTopic);
            Assert.True(b.RoundRobin);
            Assert.Equal(BridgeStart.Lazy, b.Start);
            Assert.Equal(ProtocolLevel.V31, b.ProtocolLevel);
            Assert.Equal("I:\\ca.pem", s.BridgeCaFile);
            Assert.Equal("hub.example", s.BridgeServerName);
            Assert.Equal(Settings.BridgePacketSize, b.MaxPacketSize);
            Assert.Equal(Settings.BridgeInflight, b.InflightWindow);
            // The keys around the object are still read.
            Assert.Equal(30, s.StatusSeconds);
        }

        [Fact]
        public void Without_a_bridge_object_there_is_no_bridge()
        {
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"port\": 1884, \"bridge\": null}", s));
            Assert.Null(s.Bridge);
        }

        [Fact]
        public void The_example_settings_file_parses_with_its_bridge()
        {
            string path = System.IO.Path.Combine(DeviceCompiler.RepoRoot, "hardware", "settings.example.json");
            Settings s = new Settings();
            Assert.Null(SettingsJson.Parse(System.IO.File.ReadAllText(path), s));
            Assert.NotNull(s.Bridge);
            Assert.Null(s.Bridge.Check());
        }

        [Theory]
        [InlineData("\"keepAlive\": 2", "\"bridge\".\"keepAlive\" must be a number of seconds from 5 to 65535")]
        [InlineData("\"keepAlive\": 70000", "\"bridge\".\"keepAlive\" must be a number of seconds from 5 to 65535")]
        [InlineData("\"restartTimeout\": 0", "\"bridge\".\"restartTimeout\" must be a number of seconds from 1 to 86400")]
        [InlineData("\"address\": \"hub.example:1883\"", "\"bridge\".\"address\": 'hub.example:1883' is not IPv4:port (port 1 to 65535; the board does not look names up)")]
        [InlineData("\"address\": \"10.0.0.1:70000\"", "\"bridge\".\"address\": '10.0.0.1:70000' is not IPv4:port")]
        [InlineData("\"address\": \"1.2.3.4 1.2.3.5 1.2.3.6 1.2.3.7 1.2.3.8\"", "\"bridge\".\"address\": at most 4 addresses")]
        [InlineData("\"topics\": [\"a/# sideways\"]", "\"bridge\".\"topics\": direction 'sideways' must be in, out or both")]
        [InlineData("\"topics\": [\"a/# out 3\"]", "\"bridge\".\"topics\": QoS '3' must be 0, 1 or 2")]
        [InlineData("\"topics\": [\"a/# out 1 local/\"]", "\"bridge\".\"topics\": 'a/# out 1 local/' must be PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]")]
        [InlineData("\"topics\": [\"a/#/b out 1\"]", "\"bridge\".\"topics\": 'a/#/b out 1' is not a valid topic filter once prefixed")]
        [InlineData("\"topics\": [1]", "\"bridge\".\"topics\" must be a list of strings")]
        [InlineData("\"cleanSession\": 1", "\"bridge\".\"cleanSession\" must be true or false")]
        [InlineData("\"start\": \"sometimes\"", "\"bridge\".\"start\" must be \"automatic\", \"lazy\" or \"once\"")]
        [InlineData("\"protocol\": \"mqttv50\"", "\"bridge\".\"protocol\" must be \"mqttv311\" or \"mqttv31\"")]
        [InlineData("\"name\": \"two words\"", "\"bridge\".\"name\" must be a word")]
        [InlineData("\"frobnicate\": true", "unknown bridge setting \"frobnicate\" (known: name, address, topics")]
        [InlineData("\"nested\": {\"a\": 1}", "\"nested\": nested objects and arrays are not settings")]
        public void A_bad_bridge_value_is_refused_with_its_line_and_the_allowed_values(string member, string reason)
        {
            Settings s = new Settings();
            string text = "{\n\"bridge\": {\n\"name\": \"site\",\n\"address\": \"10.0.0.1:1883\",\n\"topics\": [\"ok/# out 1\"],\n" + member + "\n}\n}";
            string error = SettingsJson.Parse(text, s);
            Assert.NotNull(error);
            Assert.StartsWith("line 6: " + reason, error);
        }

        [Theory]
        [InlineData("\"name\": \"site\", \"topics\": [\"a/# out\"]", "bridge: connection site has no address")]
        [InlineData("\"name\": \"site\", \"address\": \"10.0.0.1\"", "bridge: connection site has no topic line")]
        [InlineData("\"address\": \"10.0.0.1\", \"topics\": [\"a/# out\"]", "bridge: connection needs a name")]
        public void A_bridge_missing_its_name_address_or_topics_is_refused(string members, string reason)
        {
            Settings s = new Settings();
            string error = SettingsJson.Parse("{\"bridge\": {" + members + "}}", s);
            Assert.NotNull(error);
            Assert.Contains(reason, error);
        }

        private static string Text(byte[] b)
        {
            return System.Text.Encoding.UTF8.GetString(b);
        }
    }
}
