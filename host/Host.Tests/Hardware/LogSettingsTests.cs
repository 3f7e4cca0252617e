using Device.Hardware;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The log part of the board's settings file (hardware/LogSettings.cs through Settings/SettingsJson, compiled here
    /// unchanged): every value applied, every bad one refused with its line and the allowed values, defaults untouched.
    /// </summary>
    public class LogSettingsTests
    {
        [Fact]
        public void Defaults_are_info_on_the_console_only()
        {
            var s = new Settings();
            Assert.Null(SettingsJson.Parse("{ }", s));
            Assert.Equal(LogLevel.Info, s.Logging.Level);
            Assert.Null(s.Logging.SyslogHost);
            Assert.Equal(514, s.Logging.SyslogPort);
            Assert.False(s.Logging.Topic);
            Assert.Equal(1024, s.Logging.TopicBytes);
        }

        [Fact]
        public void Every_log_key_is_applied()
        {
            var s = new Settings();
            string error = SettingsJson.Parse(
                "{\n \"logLevel\": \"debug\",\n \"syslogHost\": \"192.168.1.10\",\n \"syslogPort\": 5514,\n \"logTopic\": true,\n \"logTopicBytes\": 4096\n}", s);
            Assert.Null(error);
            Assert.Equal(LogLevel.Debug, s.Logging.Level);
            Assert.Equal("192.168.1.10", s.Logging.SyslogHost);
            Assert.Equal(5514, s.Logging.SyslogPort);
            Assert.True(s.Logging.Topic);
            Assert.Equal(4096, s.Logging.TopicBytes);
        }

        [Theory]
        [InlineData("error", 3)]
        [InlineData("warning", 4)]
        [InlineData("notice", 5)]
        [InlineData("info", 6)]
        [InlineData("debug", 7)]
        public void Log_levels_are_the_syslog_severities(string name, int severity)
        {
            var s = new Settings();
            Assert.Null(SettingsJson.Parse("{\"logLevel\": \"" + name + "\"}", s));
            Assert.Equal(severity, s.Logging.Level);
        }

        [Theory]
        [InlineData("{\n\"logLevel\": \"loud\"\n}", "line 2", "\"logLevel\" must be one of error, warning, notice, info, debug")]
        [InlineData("{\"port\": 1883,\n\n\"logLevel\": 7}", "line 3", "\"logLevel\" must be one of error, warning, notice, info, debug")]
        [InlineData("{\n\"syslogHost\": \"logs.example\"}", "line 2", "\"syslogHost\" must be an IPv4 address such as \"192.168.1.10\"")]
        [InlineData("{\n\"syslogHost\": \"256.1.1.1\"}", "line 2", "\"syslogHost\" must be an IPv4 address")]
        [InlineData("{\n\"syslogHost\": \"10.0.0\"}", "line 2", "\"syslogHost\" must be an IPv4 address")]
        [InlineData("{\n\"syslogHost\": \"10.0.0.1.\"}", "line 2", "\"syslogHost\" must be an IPv4 address")]
        [InlineData("{\n\"syslogPort\": 0}", "line 2", "\"syslogPort\" must be a number from 1 to 65535")]
        [InlineData("{\n\"syslogPort\": 65536}", "line 2", "\"syslogPort\" must be a number from 1 to 65535")]
        [InlineData("{\n\"logTopic\": \"yes\"}", "line 2", "\"logTopic\" must be true or false")]
        [InlineData("{\n\"logTopicBytes\": 255}", "line 2", "\"logTopicBytes\" must be a number from 256 to 8192")]
        [InlineData("{\n\"logTopicBytes\": 8193}", "line 2", "\"logTopicBytes\" must be a number from 256 to 8192")]
        public void A_bad_log_value_is_refused_with_its_line_and_the_allowed_range(string text, string line, string message)
        {
            var s = new Settings();
            string error = SettingsJson.Parse(text, s);
            Assert.NotNull(error);
            Assert.StartsWith(line + ": ", error);
            Assert.Contains(message, error);
        }

        [Fact]
        public void An_unknown_key_names_the_log_keys_among_the_known_ones()
        {
            string error = SettingsJson.Parse("{\"loglevel\": \"info\"}", new Settings());
            Assert.Contains("unknown setting \"loglevel\"", error);
            Assert.Contains("logLevel, syslogHost, syslogPort, logTopic, logTopicBytes", error);
        }

        [Theory]
        [InlineData("0.0.0.0", true)]
        [InlineData("255.255.255.255", true)]
        [InlineData("127.0.0.1", true)]
        [InlineData("1.2.3", false)]
        [InlineData("1.2.3.4.5", false)]
        [InlineData("1..3.4", false)]
        [InlineData("1.2.3.1000", false)]
        [InlineData(" 1.2.3.4", false)]
        [InlineData("", false)]
        public void Syslog_host_takes_dotted_quads_only(string text, bool ok)
        {
            Assert.Equal(ok, LogSettings.IsIPv4(text));
        }
    }
}
