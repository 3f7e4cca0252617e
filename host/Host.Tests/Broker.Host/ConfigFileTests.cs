using System.Collections.Generic;
using System.IO;
using System.Threading;
using System;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    public class ConfigFileTests
    {
        private static List<FileError> Apply(BrokerSettings s, params string[] lines)
        {
            return ConfigFile.Apply("broker.conf", lines, "/etc/broker", s);
        }

        [Theory]
        [InlineData("max_inflight_messages 40000", "max_inflight_messages", "1..32767")]
        public void A_limit_beyond_what_the_engine_can_index_is_refused_at_start_up_with_file_line_and_range(string line, string option, string range)
        {
            // The in-flight count per session is 16-bit. (max_queued_messages 100000 used to start and die in the old
            // MessageQueue.PeekMessage under load; the pool holds it now: Faults/DeepQueueTests.)
            using TempDir dir = new TempDir();
            string conf = dir.Write("broker.conf", "# limits\n" + line + "\n");
            StringWriter output = new StringWriter();
            StringWriter error = new StringWriter();
            using CancellationTokenSource stop = new CancellationTokenSource();
            stop.Cancel();

            int exit = Program.Run(new[] { "-c", conf, "-p", "0" }, output, error, stop.Token, null);

            Assert.Equal(1, exit);
            string all = output.ToString() + error.ToString();
            Assert.Contains(conf + ":2: " + option, all);
            Assert.Contains(range, all);
        }

        [Fact]
        public void Every_supported_option_is_applied()
        {
            BrokerSettings s = new BrokerSettings();
            List<FileError> errors = Apply(s,
                "# a mosquitto.conf subset",
                "",
                "listener 1884 127.0.0.2",
                "allow_anonymous false",
                "password_file passwords",
                "acl_file /srv/acl file",
                "max_connections 12",
                "max_inflight_messages 5",
                "max_queued_messages 100",
                "message_size_limit 4096",
                "retain_available true",
                "  max_keepalive 120  ");

            Assert.Empty(errors);
            Assert.Equal(1884, s.Port);
            Assert.Equal("127.0.0.2", s.Bind);
            Assert.False(s.EffectiveAllowAnonymous);
            Assert.Equal("/etc/broker/passwords", s.PasswordFile);
            Assert.Equal("/srv/acl file", s.AclFile);
            Assert.Equal(12, s.MaxConnections);
            Assert.Equal(5, s.MaxInflightMessages);
            Assert.Equal(100, s.MaxQueuedMessages);
            Assert.Equal(4096, s.MessageSizeLimit);
            Assert.True(s.RetainAvailable);
            Assert.Equal(120, s.MaxKeepalive);
        }

        [Fact]
        public void A_listener_without_address_listens_everywhere_and_refuses_anonymous_clients_like_mosquitto_2()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "listener 1883"));
            Assert.Equal("0.0.0.0", s.Bind);
            Assert.False(s.EffectiveAllowAnonymous);

            BrokerSettings local = new BrokerSettings();
            Assert.Empty(Apply(local, "max_keepalive 60"));
            Assert.Equal("127.0.0.1", local.Bind);
            Assert.True(local.EffectiveAllowAnonymous);
        }

        [Fact]
        public void Bind_address_and_minus_one_connections_are_read_as_mosquitto_does()
        {
            BrokerSettings s = new BrokerSettings { MaxConnections = 5 };
            Assert.Empty(Apply(s, "bind_address localhost", "max_connections -1"));
            Assert.Equal("127.0.0.1", s.Bind);
            Assert.Null(s.MaxConnections);
        }

        [Theory]
        [InlineData("frobnicate 1", "unknown option 'frobnicate' (Mosquitto 2.0 has no such option either")]
        [InlineData("cafile /etc/ca.pem", "cafile is not supported: TLS is not supported by this broker; terminate TLS in front")]
        [InlineData("bridge_psk 0123", "bridge_psk is not supported: not supported by this broker's bridge")]
        [InlineData("plugin_opt_x 1", "plugin_opt_x is not supported: plugins cannot be loaded")]
        [InlineData("mount_point site1/", "mount_point is not supported yet; give each group of clients its own topic prefix")]
        [InlineData("log_dest topic", "log_dest topic is not supported")]
        [InlineData("log_type chatty", "log_type: 'chatty' is not error, warning")]
        [InlineData("protocol websockets", "protocol websockets is not supported")]
        [InlineData("persistent_client_expiration 3x", "persistent_client_expiration: '3x' is not a duration")]
        [InlineData("include_dir /nonexistent-folder", "include_dir: cannot read folder '/nonexistent-folder'")]
        [InlineData("allow_anonymous yes", "allow_anonymous: 'yes' is not true or false")]
        [InlineData("max_connections ten", "max_connections: 'ten' is not a whole number")]
        [InlineData("max_keepalive 70000", "max_keepalive: 70000 is outside 0..65535")]
        [InlineData("max_inflight_messages 0", "max_inflight_messages: 0 is outside 1..32767 (0, Mosquitto's 'no limit', is not possible")]
        [InlineData("message_size_limit -1", "message_size_limit: -1 is outside 0..268435455")]
        [InlineData("listener 1883 ::1", "'::1' is not an IPv4 address")]
        [InlineData("listener 1883 127.0.0.1 extra", "listener takes a port and an optional bind address")]
        [InlineData("retain_available true false", "retain_available takes one value, got 2")]
        [InlineData("password_file", "password_file needs a value")]
        [InlineData("check_retain_source true", "check_retain_source true is not supported yet")]
        [InlineData("listener 0", "listener: 0 is outside 1..65535")]
        public void A_bad_line_is_reported_with_its_reason(string line, string reason)
        {
            List<FileError> errors = Apply(new BrokerSettings(), "# first line is a comment", line);
            FileError e = Assert.Single(errors);
            Assert.Equal("broker.conf", e.File);
            Assert.Equal(2, e.Line);
            Assert.StartsWith(reason, e.Reason);
            Assert.StartsWith("broker.conf:2: " + reason, e.ToString());
        }

        [Fact]
        public void Every_bad_line_is_reported_not_just_the_first()
        {
            List<FileError> errors = Apply(new BrokerSettings(),
                "listener 1883",
                "log_type everything",
                "listener 1883",
                "max_keepalive 60",
                "max_keepalive 30");

            Assert.Equal(new[] { 2, 5, 3 }, errors.ConvertAll(e => e.Line));
            Assert.Contains("max_keepalive is given twice (first at broker.conf:4)", errors[1].Reason);
            Assert.Contains("port 1883 is already used by the listener at broker.conf:1", errors[2].Reason);
        }

        [Fact]
        public void A_config_file_with_errors_keeps_the_broker_from_starting()
        {
            using TempDir dir = new TempDir();
            string conf = dir.Write("broker.conf", "listener 1883 127.0.0.1\nallow_anonymous maybe\nmax_queued_messages 0\n");
            StringWriter output = new StringWriter(), error = new StringWriter();
            bool started = false;

            int code = Program.Run(new[] { "-c", conf }, output, error, CancellationToken.None, _ => started = true);

            Assert.Equal(1, code);
            Assert.False(started);
            string text = error.ToString();
            Assert.Contains("Error: " + conf + ":2: allow_anonymous: 'maybe' is not true or false", text);
            Assert.Contains("Error: " + conf + ":3: max_queued_messages: 0 is outside", text);
            Assert.Contains("Broker not started", text);
            Assert.DoesNotContain("listen", output.ToString());
        }

        [Fact]
        public void A_missing_config_file_is_reported_and_the_broker_does_not_start()
        {
            using TempDir dir = new TempDir();
            string conf = Path.Combine(dir.Path, "absent.conf");
            StringWriter error = new StringWriter();

            int code = Program.Run(new[] { "--config", conf }, new StringWriter(), error, CancellationToken.None, null);

            Assert.Equal(1, code);
            Assert.Contains("Error: " + conf + ": cannot read config file", error.ToString());
        }

        [Fact]
        public void Bad_lines_in_the_password_and_acl_files_named_by_the_config_are_all_reported()
        {
            using TempDir dir = new TempDir();
            dir.Write("passwords", "alice:plaintext\n");
            dir.Write("acl", "user alice\ntopic read a/#/b\n");
            string conf = dir.Write("broker.conf", "password_file passwords\nacl_file acl\n");
            StringWriter error = new StringWriter();

            int code = Program.Run(new[] { "-c", conf }, new StringWriter(), error, CancellationToken.None, null);

            Assert.Equal(1, code);
            // The password line is only skipped (as Mosquitto does); the ACL line stops the start.
            Assert.Contains(Path.Combine(dir.Path, "acl") + ":2: 'a/#/b' is not a valid topic filter", error.ToString());
        }
    }
}
