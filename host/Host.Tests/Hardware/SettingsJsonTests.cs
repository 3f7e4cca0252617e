using Device.Hardware;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The board's settings file (hardware/Settings.cs, SettingsJson.cs, compiled here unchanged): a wrong file
    /// must be reported with its line and leave the defaults, never throw on the board.
    /// </summary>
    public class SettingsJsonTests
    {
        [Fact]
        public void Every_known_key_is_applied()
        {
            var s = new Settings();
            string error = SettingsJson.Parse("\uFEFF{\n  \"ssid\": \"lab\",\n  \"password\": \"p\\\"w\",\n  \"port\": 1884,\n  \"statusSeconds\": 30\n}", s);
            Assert.Null(error);
            Assert.Equal("lab", s.Ssid);
            Assert.Equal("p\"w", s.Password);
            Assert.Equal(1884, s.Port);
            Assert.Equal(30, s.StatusSeconds);
        }

        [Fact]
        public void A_supplementary_character_in_a_value_keeps_both_surrogates()
        {
            // U+1F600 written raw and as a \u pair; built from char codes at run time (docs/PLATFORM.md). The parser reads
            // the text as a char array (ToCharArray), which nanoCLR fills with the real pair, not through the indexer.
            string emoji = new string(new[] { (char)0xD83D, (char)0xDE00 });
            var s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"password\": \"p" + emoji + "w\", \"ssid\": \"\\ud83d\\ude00\"}", s));
            Assert.Equal("p" + emoji + "w", s.Password);
            Assert.Equal(emoji, s.Ssid);
        }

        [Fact]
        public void Max_clients_sets_the_client_limit_and_0_keeps_the_profile()
        {
            var s = new Settings();
            Assert.Equal(0, s.MaxClients);
            Assert.Null(SettingsJson.Parse("{\"maxClients\": 10}", s));
            Assert.Equal(10, s.MaxClients);
            Assert.Null(SettingsJson.Parse("{\"maxClients\": 1}", s));
            Assert.Equal(1, s.MaxClients);
        }

        [Theory]
        [InlineData("{\"maxClients\": 0}")]
        [InlineData("{\"maxClients\": 11}")]
        [InlineData("{\"maxClients\": \"10\"}")]
        public void Max_clients_outside_1_to_10_is_refused(string text)
        {
            var s = new Settings();
            string error = SettingsJson.Parse(text, s);
            Assert.NotNull(error);
            Assert.Contains("\"maxClients\" must be a number from 1 to 10", error);
            Assert.Equal(0, s.MaxClients);
        }

        [Fact]
        public void Empty_object_keeps_the_defaults()
        {
            var s = new Settings();
            Assert.Null(SettingsJson.Parse("{ }", s));
            Assert.Null(s.Ssid);
            Assert.Equal(1883, s.Port);
            Assert.Equal(60, s.StatusSeconds);
        }

        [Fact]
        public void Empty_ssid_means_use_the_stored_credentials()
        {
            var s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"ssid\": \"\"}", s));
            Assert.Null(s.Ssid);
        }

        [Theory]
        [InlineData("{\n\"port\": 70000\n}", "line 2", "\"port\" must be a number from 1 to 65535")]
        [InlineData("{\n\n\"colour\": \"red\"}", "line 3", "unknown setting \"colour\"")]
        [InlineData("{\"port\": \"1883\"}", "line 1", "\"port\" must be a number")]
        [InlineData("{\"ssid\": 5}", "line 1", "\"ssid\" must be a string")]
        [InlineData("[1, 2]", "line 1", "expected '{'")]
        [InlineData("{\"ssid\" \"x\"}", "line 1", "expected ':'")]
        [InlineData("{\"statusSeconds\": 1}", "line 1", "from 5 to 86400")]
        public void A_wrong_file_is_reported_with_its_line(string text, string line, string reason)
        {
            string error = SettingsJson.Parse(text, new Settings());
            Assert.NotNull(error);
            Assert.StartsWith(line + ":", error);
            Assert.Contains(reason, error);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("{\"ssid\": \"unterminated")]
        [InlineData("{\"a\": {\"nested\": 1}}")]
        [InlineData("{\"port\": 1.5}")]
        [InlineData("{\"port\": 99999999999999999999}")]
        [InlineData("{\"port\": 1883,}")]
        public void Truncated_or_unsupported_json_is_an_error_not_an_exception(string text)
        {
            Assert.NotNull(SettingsJson.Parse(text, new Settings()));
        }
    }
}
