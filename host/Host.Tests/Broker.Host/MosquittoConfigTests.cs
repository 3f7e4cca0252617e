using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System;
using Broker.Host;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>mosquitto.conf as people have it: Debian's default, `port`, several listeners, per_listener_settings, include_dir.</summary>
    public class MosquittoConfigTests
    {
        /// <summary>The file Debian's mosquitto 2.0.11 package installs as /etc/mosquitto/mosquitto.conf, word for word.</summary>
        public const string DebianDefault =
            "# Place your local configuration in /etc/mosquitto/conf.d/\n#\n# A full description of the configuration file is at\n"
            + "# /usr/share/doc/mosquitto/examples/mosquitto.conf.example\n\npid_file /run/mosquitto/mosquitto.pid\n\npersistence true\n"
            + "persistence_location /var/lib/mosquitto/\n\nlog_dest file /var/log/mosquitto/mosquitto.log\n\ninclude_dir /etc/mosquitto/conf.d\n";

        private static List<FileError> Apply(BrokerSettings s, string dir, params string[] lines)
        {
            return ConfigFile.Apply(Path.Combine(dir, "mosquitto.conf"), lines, dir, s);
        }

        [Fact]
        public void Debians_default_config_is_read_whole()
        {
            // The installed file, when this machine has it, must still be the text above.
            if (File.Exists("/etc/mosquitto/mosquitto.conf"))
            {
                Assert.Equal(DebianDefault, File.ReadAllText("/etc/mosquitto/mosquitto.conf"));
            }

            using TempDir dir = new TempDir();
            Directory.CreateDirectory(Path.Combine(dir.Path, "conf.d"));
            dir.Write("conf.d/README", "Any files placed in this directory that have a .conf ending will be loaded\n");
            dir.Write("conf.d/local.conf", "listener 1883\nallow_anonymous true\n");
            BrokerSettings s = new BrokerSettings();
            string[] lines = DebianDefault.Replace("/etc/mosquitto/conf.d", Path.Combine(dir.Path, "conf.d")).Split('\n');

            Assert.Empty(Apply(s, dir.Path, lines));
            Assert.Equal("/run/mosquitto/mosquitto.pid", s.PidFile);
            Assert.True(s.Persistence);
            Assert.Equal("/var/lib/mosquitto/", s.PersistenceLocation);
            Assert.Equal(new[] { "file /var/log/mosquitto/mosquitto.log" }, s.LogDest);
            ListenerSettings l = Assert.Single(s.EffectiveListeners);
            Assert.Equal(1883, l.Port);
            Assert.Equal("0.0.0.0", l.Bind);
            Assert.Equal(Path.Combine(dir.Path, "conf.d", "local.conf") + ":1", l.At);
            Assert.True(s.EffectiveAllowAnonymous);
            // Persistence is accepted and said so once, naming the lines.
            Assert.Single(s.Notes, n => n.StartsWith("persistence (", StringComparison.Ordinal) && n.Contains("honoured once persistence lands"));
            Assert.Single(s.Notes, n => n.StartsWith("persistence_location (", StringComparison.Ordinal));
        }

        [Fact]
        public void Port_listens_everywhere_and_refuses_anonymous_clients_like_mosquitto_2()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "/etc/broker", "port 1883"));
            Assert.Equal(1883, s.Port);
            Assert.Equal("0.0.0.0", s.Bind);
            Assert.False(s.EffectiveAllowAnonymous);

            BrokerSettings bound = new BrokerSettings();
            Assert.Empty(Apply(bound, "/etc/broker", "bind_address 127.0.0.3", "port 1884"));
            Assert.Equal("127.0.0.3", bound.Bind);
        }

        [Fact]
        public void Two_listeners_share_the_security_options_unless_per_listener_settings_is_true()
        {
            BrokerSettings shared = new BrokerSettings();
            Assert.Empty(Apply(shared, "/etc/broker",
                "listener 1883 127.0.0.1", "max_connections 10", "listener 8883", "allow_anonymous true", "max_connections 5"));
            Assert.Equal(new[] { 1883, 8883 }, shared.EffectiveListeners.Select(l => l.Port));
            Assert.Equal(new int?[] { 10, 5 }, shared.EffectiveListeners.Select(l => l.MaxConnections));
            Assert.True(shared.AllowAnonymousOf(shared.EffectiveListeners[0]));
            Assert.True(shared.AllowAnonymousOf(shared.EffectiveListeners[1]));
            BrokerOptions o = BrokerHost.OptionsFor(shared);
            Assert.Equal(1, o.Listeners);
            Assert.Equal(15, o.MaxClients);

            BrokerSettings own = new BrokerSettings();
            Assert.Empty(Apply(own, "/etc/broker",
                "listener 1883 127.0.0.1", "allow_anonymous true", "listener 1884", "password_file pw", "acl_file acl",
                "per_listener_settings true"));
            Assert.True(own.AllowAnonymousOf(own.EffectiveListeners[0]));
            Assert.False(own.AllowAnonymousOf(own.EffectiveListeners[1]));
            Assert.Null(own.SecurityOf(own.EffectiveListeners[0]).PasswordFile);
            Assert.Equal("/etc/broker/pw", own.SecurityOf(own.EffectiveListeners[1]).PasswordFile);
            Assert.Equal(2, BrokerHost.OptionsFor(own).Listeners);
        }

        [Fact]
        public void Security_options_repeated_per_listener_are_only_allowed_with_per_listener_settings()
        {
            List<FileError> errors = Apply(new BrokerSettings(), "/etc/broker",
                "listener 1883", "allow_anonymous true", "listener 1884", "allow_anonymous false");
            Assert.Contains("allow_anonymous is given twice", Assert.Single(errors).Reason);
        }

        [Fact]
        public void Include_dir_reads_its_conf_files_in_name_order_and_reports_their_own_lines()
        {
            using TempDir dir = new TempDir();
            Directory.CreateDirectory(Path.Combine(dir.Path, "d"));
            dir.Write("d/20-b.conf", "max_keepalive 60\n");
            dir.Write("d/10-a.conf", "listener 1999\n\nmax_qos 3\n");
            dir.Write("d/ignored.txt", "garbage\n");

            List<FileError> errors = Apply(new BrokerSettings(), dir.Path, "include_dir d");

            FileError e = Assert.Single(errors);
            Assert.Equal(Path.Combine(dir.Path, "d", "10-a.conf"), e.File);
            Assert.Equal(3, e.Line);
            Assert.StartsWith("max_qos: 3 is outside 0..2", e.Reason);
        }

        [Fact]
        public void The_options_the_engine_honours_reach_its_options()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "/etc/broker",
                "allow_zero_length_clientid false", "auto_id_prefix dev-", "upgrade_outgoing_qos true", "retain_available false",
                "persistent_client_expiration 2d", "message_size_limit 100", "max_qos 1", "max_inflight_messages 7",
                "max_queued_messages 50", "max_keepalive 300", "sys_interval 10", "set_tcp_nodelay true"));
            BrokerOptions o = BrokerHost.OptionsFor(s);
            Assert.False(o.AllowZeroLengthClientId);
            Assert.Equal("dev-", o.AutoIdPrefix);
            Assert.True(o.UpgradeOutgoingQos);
            Assert.False(o.RetainAvailable);
            Assert.Equal(2 * 86400, o.PersistentSessionExpirySeconds);
            Assert.Equal(100, o.MaxPayloadSize);
            Assert.Equal(1, o.MaxQos);
            Assert.Equal(7, o.InflightPerSession);
            Assert.Equal(50, o.MaxQueuedMessages);
            Assert.Equal(300, o.KeepAliveMaxSeconds);
            Assert.Null(o.Check());
        }

        [Fact]
        public void Flow_control_logging_and_platform_options_are_read_and_the_ignored_ones_noted_once()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "/etc/broker",
                "max_queued_bytes 1000000", "max_inflight_bytes 0", "queue_qos0_messages true", "memory_limit 1048576",
                "user mosquitto", "log_timestamp_format %Y", "log_facility 5", "set_tcp_nodelay false", "autosave_interval 1800",
                "log_type error", "log_type warning", "connection_messages false", "log_timestamp false"));
            Assert.Equal(1000000, s.MaxQueuedBytes);
            Assert.True(s.QueueQos0Messages);
            Assert.Equal(LogTypes.Error | LogTypes.Warning, s.LogTypes);
            Assert.False(s.ConnectionMessages);
            Assert.False(s.LogTimestamp);
            foreach (string option in new[] { "max_inflight_bytes", "user",
                "log_timestamp_format", "log_facility", "set_tcp_nodelay", "autosave_interval" })
            {
                Assert.Single(s.Notes, n => n.StartsWith(option + " (", StringComparison.Ordinal));
            }
        }

        [SkippableFact]
        public void Every_option_in_mosquittos_example_config_is_supported_noted_or_refused_with_a_reason()
        {
            const string example = "/usr/share/doc/mosquitto/examples/mosquitto.conf";
            Skip.IfNot(File.Exists(example) || File.Exists(example + ".gz"), "Debian's mosquitto example config is not installed");
            string text = File.Exists(example) ? File.ReadAllText(example) : Gunzip(example + ".gz");
            HashSet<string> options = new HashSet<string>(Regex.Matches(text, @"^#([a-z_0-9.]+)(?: |$)", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
            Assert.True(options.Count >= 80, "found " + options.Count + " options");
            foreach (string option in options)
            {
                List<FileError> errors = Apply(new BrokerSettings(), "/etc/broker", option + " 1");
                foreach (FileError e in errors)
                {
                    Assert.DoesNotContain("unknown option", e.Reason);
                }
            }
        }

        private static string Gunzip(string path)
        {
            using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
            using var r = new StreamReader(gz);
            return r.ReadToEnd();
        }

        [Fact]
        public void The_broker_starts_from_debians_default_writes_its_pid_file_and_log_and_notes_persistence_once()
        {
            using TempDir dir = new TempDir();
            Directory.CreateDirectory(Path.Combine(dir.Path, "conf.d"));
            // The listener's port is replaced by a free one with -p 0 (it overrides the first listener).
            dir.Write("conf.d/listener.conf", "listener 1883 127.0.0.1\nallow_anonymous true\n");
            string conf = dir.Write("mosquitto.conf", DebianDefault
                .Replace("/run/mosquitto/", dir.Path + "/").Replace("/var/lib/mosquitto/", dir.Path + "/")
                .Replace("/var/log/mosquitto/", dir.Path + "/").Replace("/etc/mosquitto/conf.d", Path.Combine(dir.Path, "conf.d")));
            using CancellationTokenSource stop = new CancellationTokenSource();
            StringWriter output = new StringWriter();
            string pid = null;
            int code = -1;
            Thread t = new Thread(() => code = Program.Run(new[] { "-c", conf, "-p", "0" }, output, output, stop.Token, _ =>
            {
                pid = File.ReadAllText(Path.Combine(dir.Path, "mosquitto.pid"));
                stop.Cancel();
            }));
            t.Start();
            Assert.True(t.Join(TimeSpan.FromSeconds(30)));

            Assert.Equal(0, code);
            Assert.Equal(Environment.ProcessId + "\n", pid);
            Assert.False(File.Exists(Path.Combine(dir.Path, "mosquitto.pid")), "the pid file is removed at exit");
            string log = File.ReadAllText(Path.Combine(dir.Path, "mosquitto.log"));
            Assert.Contains("Opening ipv4 listen socket on 127.0.0.1", log);
            Assert.Single(Regex.Matches(log, "Config: persistence \\("));
            Assert.DoesNotContain("Opening", output.ToString());
        }
    }
}
