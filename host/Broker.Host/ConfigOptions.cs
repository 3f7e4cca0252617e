using System.IO;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// What each mosquitto.conf option does here (see docs/MOSQUITTO.md for the table): the supported ones are applied
    /// to <see cref="BrokerSettings"/>, the accepted-and-ignored ones leave a note for the start-up log, the refused ones
    /// (<see cref="ConfigRefusals"/>) and bad values return the reason. Null means the line is fine.
    /// </summary>
    public static class ConfigOptions
    {
        private const string NoUnlimited = "(0, Mosquitto's 'no limit', is not possible: this broker sizes its memory at start-up)";

        public static string Apply(ConfigState st, ConfigFile.ConfigLine l)
        {
            BrokerSettings s = st.Settings;
            string option = l.Option;
            string value = l.Value;
            if (ConfigRefusals.Refused.TryGetValue(option, out string refused) || (refused = ConfigRefusals.RefusedPrefix(option)) != null)
            {
                return refused.StartsWith(option + " ", System.StringComparison.Ordinal) ? refused : option + " is not supported: " + refused;
            }

            if (ConfigRefusals.Ignored.TryGetValue(option, out string ignored))
            {
                return st.Note(l, "accepted and ignored: " + ignored);
            }

            if (value.Length == 0)
            {
                return Known(option) ? option + " needs a value" : Unknown(option);
            }

            string[] words = value.Split(new[] { ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries);
            string word = words[0];
            string bridge = BridgeConfig.Apply(st, l, words);
            if (bridge != null)
            {
                return bridge.Length == 0 ? null : bridge;
            }

            SecuritySettings sec = st.Security;
            bool perListener = s.PerListenerSettings;
            switch (option)
            {
                // ---- Listeners -----------------------------------------------------------------------
                case "listener":
                    return Listener(st, l, words);
                case "port":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 1, 65535, "", n =>
                    {
                        s.Default.Port = (int)n;
                        s.Default.File = l.File;
                        s.Default.Line = l.Line;
                        s.HasPort = true;
                        if (!s.HasBindAddress)
                        {
                            // Mosquitto: the port listener listens on every interface unless bind_address says otherwise.
                            s.Default.Bind = "0.0.0.0";
                        }
                    });
                case "bind_address":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Address(word, a =>
                    {
                        s.Default.Bind = a;
                        s.HasBindAddress = true;
                    });
                case "max_connections":
                    return One(l, words) ?? st.Once(l, true) ?? (word == "-1"
                        ? Set(() => st.Listener.MaxConnections = null)
                        : ConfigValues.Int(option, word, 1, 30000, "(or -1 for no limit of its own)", n => st.Listener.MaxConnections = (int)n));
                case "protocol":
                    return One(l, words) ?? st.Once(l, true) ?? (word == "mqtt" ? null
                        : "protocol " + word + " is not supported: only MQTT over TCP is served; put a WebSockets-to-TCP proxy in front for browser clients");
                case "socket_domain":
                    return One(l, words) ?? st.Once(l, true) ?? (word == "ipv4" ? null
                        : "socket_domain " + word + " is not supported: this broker listens on IPv4 only (socket_domain ipv4)");
                case "max_qos":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, 2, "(applies to every listener here)", n => s.MaxQos = (int)n);

                // ---- Security (per listener with per_listener_settings true) -------------------------
                case "allow_anonymous":
                    return One(l, words) ?? st.Once(l, perListener) ?? ConfigValues.Bool(option, word, b => sec.AllowAnonymous = b);
                case "password_file":
                    return st.Once(l, perListener) ?? Set(() =>
                    {
                        sec.PasswordFile = Path.GetFullPath(Path.Combine(l.BaseDir, value));
                        sec.PasswordFileAt = l.At;
                    });
                case "acl_file":
                    return st.Once(l, perListener) ?? Set(() =>
                    {
                        sec.AclFile = Path.GetFullPath(Path.Combine(l.BaseDir, value));
                        sec.AclFileAt = l.At;
                    });
                case "allow_zero_length_clientid":
                    return One(l, words) ?? st.Once(l, perListener) ?? ConfigValues.Bool(option, word, b => sec.AllowZeroLengthClientId = b);
                case "auto_id_prefix":
                    return One(l, words) ?? st.Once(l, perListener) ?? (word.Length > 64 || word.IndexOfAny(new[] { '+', '#', '/' }) >= 0
                        ? "auto_id_prefix: '" + word + "' must be at most 64 characters without '+', '#' or '/'"
                        : Set(() => sec.AutoIdPrefix = word));

                // ---- Limits --------------------------------------------------------------------------
                case "max_inflight_messages":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 1, BrokerOptions.MaxSlots, NoUnlimited, n => s.MaxInflightMessages = (int)n);
                case "max_queued_messages":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 1, 1000000, NoUnlimited, n => s.MaxQueuedMessages = (int)n);
                case "message_size_limit":
                    // 0 is Mosquitto's default: no payload limit of its own (the packet buffers still limit it).
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, 268435455, "(0 = no limit)", n => s.MessageSizeLimit = (int)n);
                case "max_packet_size":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 64, 268435455, "(whole packets; 0, Mosquitto's 'no limit', is not possible: the buffers are sized at start-up)", n => s.MaxPacketSize = (int)n);
                case "max_keepalive":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, 65535, "", n => s.MaxKeepalive = (int)n);
                case "retain_available":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.RetainAvailable = b);
                case "upgrade_outgoing_qos":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.UpgradeOutgoingQos = b);
                case "check_retain_source":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => { }) ?? (word == "true"
                        ? "check_retain_source true is not supported yet: retained messages do not record who published them; remove write access in acl_file and clear the retained topic instead"
                        : null);
                case "persistent_client_expiration":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Duration(option, word, n => s.PersistentClientExpiration = n);
                case "max_inflight_bytes":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, long.MaxValue, "", n => s.MaxInflightBytes = n)
                        ?? st.Note(l, "read and checked, not enforced: in-flight bytes are bounded by the shared message pool (memory_limit)");
                case "max_queued_bytes":
                    // Here 0 is Mosquitto's own default: no byte limit (the pool still bounds the queues).
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, 1073741824, "(0 = no byte limit)", n => s.MaxQueuedBytes = (int)n);
                case "memory_limit":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 1024, 1073741824, "(the message pool is sized at start-up, so 0 is not possible)", n => s.MemoryLimit = (int)n);
                case "queue_qos0_messages":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.QueueQos0Messages = b);
                case "stall_timeout":
                    // Ours, not Mosquitto's: seconds a subscriber may hold publishers back while taking nothing.
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 1, 3600, "seconds", n => s.StallTimeoutSeconds = (int)n);

                // ---- Persistence (docs/PERSISTENCE.md; the store is Persistence/JournalStore) ------------------
                case "persistence":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.Persistence = b);
                case "persistence_location":
                    // Relative to the config file's folder, like the other paths here.
                    return st.Once(l) ?? Set(() => s.PersistenceLocation = Path.GetFullPath(Path.Combine(l.BaseDir, value)));
                case "persistence_file":
                    return st.Once(l) ?? s.Store.SetFile(value);
                case "autosave_interval":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, PersistenceSettings.MaxAutosaveSeconds, "seconds", n => s.AutosaveInterval = (int)n);
                case "fsync":
                    // Ours, not Mosquitto's: when the journal is forced to the disk.
                    return st.Once(l) ?? s.Store.ApplyFsync(words);

                // ---- Process and platform --------------------------------------------------------------
                case "pid_file":
                    return st.Once(l) ?? Set(() => s.PidFile = Path.GetFullPath(Path.Combine(l.BaseDir, value)));
                case "user":
                    return One(l, words) ?? st.Once(l) ?? st.Note(l, "accepted and ignored: this program does not change its user; start it as the user it should run as (e.g. User= in its systemd unit)");
                case "set_tcp_nodelay":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => { })
                        ?? (word == "false" ? st.Note(l, "accepted and ignored: TCP_NODELAY is always on here (MQTT packets are small and answered one by one)") : null);
                case "sys_interval":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Int(option, word, 0, 65535, "", n => s.SysInterval = (int)n);

                // ---- Logging ---------------------------------------------------------------------------
                case "log_dest":
                    return LogDest(s, l, words);
                case "log_type":
                    return One(l, words) ?? LogType(s, word);
                case "connection_messages":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.ConnectionMessages = b);
                case "log_timestamp":
                    return One(l, words) ?? st.Once(l) ?? ConfigValues.Bool(option, word, b => s.LogTimestamp = b);
                default:
                    return Unknown(option);
            }
        }

        /// <summary>The options the switch above carries out.</summary>
        public static readonly string[] Handled =
        {
            "listener", "port", "bind_address", "max_connections", "protocol", "socket_domain", "max_qos", "per_listener_settings",
            "allow_anonymous", "password_file", "acl_file", "allow_zero_length_clientid", "auto_id_prefix",
            "max_inflight_messages", "max_queued_messages", "message_size_limit", "max_packet_size", "max_keepalive",
            "retain_available", "upgrade_outgoing_qos", "check_retain_source", "persistent_client_expiration",
            "max_inflight_bytes", "max_queued_bytes", "memory_limit", "queue_qos0_messages", "stall_timeout",
            "persistence", "persistence_location", "persistence_file", "autosave_interval", "fsync",
            "pid_file", "user", "set_tcp_nodelay", "sys_interval", "log_dest", "log_type", "connection_messages", "log_timestamp",
            "include_dir",
        };

        private static bool Known(string option)
        {
            return System.Array.IndexOf(Handled, option) >= 0 || System.Array.IndexOf(BridgeConfig.Handled, option) >= 0;
        }

        private static string Unknown(string option)
        {
            return "unknown option '" + option + "' (Mosquitto 2.0 has no such option either; see docs/MOSQUITTO.md for the options this broker reads)";
        }

        private static string One(ConfigFile.ConfigLine l, string[] words)
        {
            return words.Length == 1 ? null : l.Option + " takes one value, got " + words.Length;
        }

        private static string Set(System.Action set)
        {
            set();
            return null;
        }

        private static string Listener(ConfigState st, ConfigFile.ConfigLine l, string[] words)
        {
            if (words.Length > 2)
            {
                return "listener takes a port and an optional bind address";
            }

            ListenerSettings listener = new ListenerSettings { File = l.File, Line = l.Line };
            string reason = ConfigValues.Int("listener", words[0], 1, 65535, "(Mosquitto's port 0 with a path is a unix socket, which this broker does not open)", n => listener.Port = (int)n);
            if (reason == null && words.Length == 2)
            {
                reason = ConfigValues.Address(words[1], a => listener.Bind = a);
            }

            if (reason != null)
            {
                return reason;
            }

            // As in Mosquitto: a listener without an address listens on every interface.
            st.Settings.Listeners.Add(listener);
            st.Current = listener;
            st.Bridge = null;
            return null;
        }

        private static string LogDest(BrokerSettings s, ConfigFile.ConfigLine l, string[] words)
        {
            switch (words[0])
            {
                case "stdout":
                case "stderr":
                case "syslog":
                case "none":
                    if (words.Length != 1)
                    {
                        return "log_dest " + words[0] + " takes no further value";
                    }

                    s.LogDest.Add(words[0]);
                    return null;
                case "file":
                    string path = l.Value.Substring(4).Trim();
                    if (path.Length == 0)
                    {
                        return "log_dest file needs a file name";
                    }

                    s.LogDest.Add("file " + Path.GetFullPath(Path.Combine(l.BaseDir, path)));
                    return null;
                case "topic":
                    return "log_dest topic is not supported: there is no $SYS/broker/log tree; use log_dest stdout, stderr, file or syslog";
                case "dlt":
                    return "log_dest dlt is not supported (GENIVI DLT is not on this platform); use log_dest syslog";
                default:
                    return "log_dest: '" + words[0] + "' is not stdout, stderr, file, syslog, topic, dlt or none";
            }
        }

        private static string LogType(BrokerSettings s, string word)
        {
            LogTypes t;
            switch (word)
            {
                case "error": t = LogTypes.Error; break;
                case "warning": t = LogTypes.Warning; break;
                case "notice": t = LogTypes.Notice; break;
                case "information": t = LogTypes.Information; break;
                case "subscribe": t = LogTypes.Subscribe; break;
                case "unsubscribe": t = LogTypes.Unsubscribe; break;
                case "debug": t = LogTypes.Debug; break;
                case "websockets": t = LogTypes.Websockets; break;
                case "all": t = LogTypes.All; break;
                case "none": t = LogTypes.None; break;
                default:
                    return "log_type: '" + word + "' is not error, warning, notice, information, subscribe, unsubscribe, debug, websockets, all or none";
            }

            s.LogTypes |= t;
            s.LogTypesSet = true;
            return null;
        }
    }
}
