using System.Collections.Generic;

namespace Broker.Host
{
    /// <summary>
    /// The mosquitto.conf options this broker does not carry out, each with the reason and what to do instead, and
    /// the ones it accepts without acting on them because they only change Mosquitto's logging or a platform detail.
    /// An option in neither list and not handled by <see cref="ConfigOptions"/> is unknown to Mosquitto 2.0 as well.
    /// </summary>
    public static class ConfigRefusals
    {
        private const string Tls = "TLS is not supported by this broker; terminate TLS in front of it (stunnel, nginx stream, HAProxy) and point that at a plain listener";
        private const string Bridge = "not supported by this broker's bridge (docs/BRIDGE.md lists the bridge options it reads)";
        private const string Plugin = "plugins cannot be loaded; use password_file and acl_file, which this broker reads in Mosquitto's formats";
        private const string Websockets = "only MQTT over TCP is served; put a WebSockets-to-TCP proxy in front for browser clients";

        public static readonly Dictionary<string, string> Refused = new Dictionary<string, string>
        {
            ["cafile"] = Tls, ["capath"] = Tls, ["certfile"] = Tls, ["keyfile"] = Tls, ["ciphers"] = Tls,
            ["ciphers_tls1.3"] = Tls, ["crlfile"] = Tls, ["dhparamfile"] = Tls, ["tls_version"] = Tls, ["tls_engine"] = Tls,
            ["tls_engine_kpass_sha1"] = Tls, ["tls_keyform"] = Tls, ["require_certificate"] = Tls,
            ["use_identity_as_username"] = Tls, ["use_subject_as_username"] = Tls, ["psk_file"] = Tls, ["psk_hint"] = Tls,
            
            
            ["local_username"] = Bridge, ["local_password"] = Bridge,
            ["notifications_local_only"] = Bridge, 
            
            ["threshold"] = Bridge, ["idle_timeout"] = Bridge,
            ["auth_plugin"] = Plugin, ["plugin"] = Plugin, ["global_plugin"] = Plugin, ["auth_plugin_deny_special_chars"] = Plugin,
            ["http_dir"] = Websockets,
            ["mount_point"] = "mount_point is not supported yet; give each group of clients its own topic prefix and an acl_file pattern such as 'pattern readwrite site1/#' instead",
            ["clientid_prefixes"] = "clientid_prefixes is not supported; restrict who may connect with password_file (and allow_anonymous false) instead",
            ["use_username_as_clientid"] = "use_username_as_clientid is not supported; give each client its user name as client id, or use acl_file patterns with %u instead of %c",
            ["bind_interface"] = "bind_interface is not supported (it would need SO_BINDTODEVICE); give the listener that interface's IPv4 address instead",
        };

        /// <summary>Accepted, reported once at start-up with this note.</summary>
        public static readonly Dictionary<string, string> Ignored = new Dictionary<string, string>
        {
            ["log_facility"] = "the syslog facility is always daemon here",
            ["log_timestamp_format"] = "time stamps are always Unix seconds here",
            ["websockets_log_level"] = "there is no WebSockets listener",
            ["websockets_headers_size"] = "there is no WebSockets listener",
            ["max_topic_alias"] = "topic aliases are MQTT 5; this broker speaks MQTT 3.1 and 3.1.1",
            ["allow_duplicate_messages"] = "deprecated in Mosquitto 2.0, which always behaves as if it were true, as this broker does",
            ["autosave_on_changes"] = "persistence is not implemented yet: accepted, honoured once persistence lands",
        };

        static ConfigRefusals()
        {
            foreach (string bridgeOption in new[] { "bridge_alpn", "bridge_attempt_unsubscribe", "bridge_bind_address",
                "bridge_ciphers", "bridge_ciphers_tls1.3", "bridge_identity",
                "bridge_max_packet_size", "bridge_outgoing_retain", "bridge_psk", "bridge_reload_type",
                "bridge_require_ocsp", "bridge_receive_maximum", "bridge_session_expiry_interval" })
            {
                Refused[bridgeOption] = Bridge;
            }
        }

        /// <summary>plugin_opt_* and auth_opt_* carry a plugin's own settings.</summary>
        public static string RefusedPrefix(string option)
        {
            return option.StartsWith("plugin_opt_", System.StringComparison.Ordinal) || option.StartsWith("auth_opt_", System.StringComparison.Ordinal)
                ? Plugin
                : null;
        }
    }
}
