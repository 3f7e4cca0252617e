using Device.Broker;
using Device.Net;
using Device.Protocol;

namespace Broker.Host
{
    /// <summary>
    /// The lines of a `connection NAME` block (Mosquitto's bridge syntax, docs/BRIDGE.md). Every line after
    /// `connection` belongs to that bridge until the next `connection` or `listener`, as in Mosquitto.
    /// </summary>
    public static class BridgeConfig
    {
        public static readonly string[] Handled =
        {
            "connection", "address", "addresses", "topic", "remote_clientid", "clientid", "local_clientid", "remote_username",
            "remote_password", "cleansession", "keepalive_interval", "restart_timeout", "try_private", "notifications",
            "notification_topic", "bridge_protocol_version", "start_type", "round_robin",
            "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile", "bridge_insecure", "bridge_tls_version",
            "bridge_max_inflight_messages", "conflate", "conflate_slots", "conflate_slot_bytes",
        };

        /// <summary>
        /// The PC's in-flight window upstream: Mosquitto's bridges take the global max_inflight_messages, 20 by default
        /// (src/context.c, context__init), so a PC bridge keeps 20 QoS 1/2 messages in flight too. The board keeps its
        /// own smaller window (hardware/SettingsBridge.cs: every slot is a packet-sized copy in the 48 KB budget).
        /// </summary>
        public const int DefaultInflightWindow = 20;

        /// <summary>Null when the line is not a bridge option; "" when applied; else the reason it is refused.</summary>
        public static string Apply(ConfigState st, ConfigFile.ConfigLine l, string[] words)
        {
            if (System.Array.IndexOf(Handled, l.Option) < 0)
            {
                return null;
            }

            if (l.Option == "connection")
            {
                if (words.Length != 1)
                {
                    return "connection takes one name";
                }

                BridgeOptions b = new BridgeOptions { Name = words[0], InflightWindow = DefaultInflightWindow };
                st.Settings.Bridges.Add(b);
                st.Bridge = b;
                return "";
            }

            BridgeOptions o = st.Bridge;
            if (o == null)
            {
                return l.Option + " belongs in a 'connection NAME' block";
            }

            string w = words[0];
            switch (l.Option)
            {
                case "address":
                case "addresses":
                    foreach (string a in words)
                    {
                        if (o.AddressCount == BridgeOptions.MaxAddresses)
                        {
                            return "at most " + BridgeOptions.MaxAddresses + " addresses per connection";
                        }

                        int colon = a.LastIndexOf(':');
                        string host = colon < 0 ? a : a.Substring(0, colon);
                        int port = 1883;
                        if (colon >= 0 && (!int.TryParse(a.Substring(colon + 1), out port) || port < 1 || port > 65535))
                        {
                            return "address '" + a + "': the port must be 1..65535";
                        }

                        o.AddAddress(host, port);
                    }

                    return "";
                case "topic":
                    return Topic(o, words);
                case "remote_clientid":
                case "clientid":
                    o.RemoteClientId = w;
                    return "";
                case "local_clientid":
                    o.LocalClientId = w;
                    return "";
                case "remote_username":
                    o.RemoteUsername = w;
                    return "";
                case "remote_password":
                    o.RemotePassword = w;
                    return "";
                case "bridge_cafile":
                    o.CaFile = w;
                    return "";
                case "bridge_capath":
                    o.CaPath = w;
                    return "";
                case "bridge_certfile":
                    o.CertFile = w;
                    return "";
                case "bridge_keyfile":
                    o.KeyFile = w;
                    return "";
                case "bridge_insecure":
                    return Done(ConfigValues.Bool(l.Option, w, v => o.Insecure = v));
                case "bridge_tls_version":
                    if (w != "tlsv1.2" && w != "tlsv1.3")
                    {
                        return "bridge_tls_version: '" + w + "' is not tlsv1.2 or tlsv1.3 (older versions are not offered)";
                    }

                    o.TlsVersion = w;
                    return "";
                case "conflate":
                    // Ours, not Mosquitto's (docs/BRIDGE.md, "conflate"): one filter on the local names of out topics per line.
                    if (words.Length != 1)
                    {
                        return "conflate takes one topic filter (one line per pattern)";
                    }

                    return Done(o.AddConflate(Empty(w)));
                case "conflate_slots":
                    return Done(ConfigValues.Int(l.Option, w, BridgeOptions.MinConflateSlots, BridgeOptions.MaxConflateSlots, "(distinct topics held)",
                        v => o.ConflateSlots = (int)v));
                case "conflate_slot_bytes":
                    return Done(ConfigValues.Int(l.Option, w, BridgeOptions.MinConflateSlotBytes, o.MaxPacketSize,
                        "(topic plus payload bytes per slot, at most the bridge's packet size)", v => o.ConflateSlotBytes = (int)v));
                case "notification_topic":
                    o.NotificationTopic = w;
                    return "";
                case "cleansession":
                    return Done(ConfigValues.Bool(l.Option, w, v => o.CleanSession = v));
                case "try_private":
                    return Done(ConfigValues.Bool(l.Option, w, v => o.TryPrivate = v));
                case "notifications":
                    return Done(ConfigValues.Bool(l.Option, w, v => o.Notifications = v));
                case "round_robin":
                    return Done(ConfigValues.Bool(l.Option, w, v => o.RoundRobin = v));
                case "bridge_max_inflight_messages":
                    // Ours (Mosquitto 2.0 has only the global max_inflight_messages); 255: the window's limit in BridgeOptions.Check.
                    string inflight = ConfigValues.Int(l.Option, w, 1, 255, "(QoS 1/2 messages in flight to the upstream; each holds a packet-sized copy)",
                        v => o.InflightWindow = (int)v);
                    if (inflight == null && o.InflightWindow > DefaultInflightWindow)
                    {
                        // Measured: a window of 60 to a default Mosquitto lost 6,280 of 20,000 QoS 2 (docs/BRIDGE.md).
                        st.Note(l, "above " + DefaultInflightWindow + ", Mosquitto's default max_inflight_messages: a Mosquitto upstream answers QoS 2"
                            + " beyond its own max_inflight_messages with PUBREC and discards the message (handle__publish; MQTT 3.1.1 has no code"
                            + " to say so), so give the upstream max_inflight_messages " + o.InflightWindow + " or more");
                    }

                    return Done(inflight);
                case "keepalive_interval":
                    return Done(ConfigValues.Int(l.Option, w, 0, 65535, "", v => o.KeepAliveSeconds = (int)v));
                case "restart_timeout":
                    if (words.Length > 2)
                    {
                        return "restart_timeout takes one value (constant) or two (base and cap of the back-off)";
                    }

                    string r = ConfigValues.Int(l.Option, w, 1, 86400, "", v => o.RestartBaseSeconds = o.RestartCapSeconds = (int)v);
                    if (r == null && words.Length == 2)
                    {
                        r = ConfigValues.Int(l.Option, words[1], o.RestartBaseSeconds, 86400, "(the cap is at least the base)", v => o.RestartCapSeconds = (int)v);
                    }

                    return Done(r);
                case "bridge_protocol_version":
                    if (w == "mqttv311")
                    {
                        o.ProtocolLevel = ProtocolLevel.V311;
                        return "";
                    }

                    if (w == "mqttv31")
                    {
                        o.ProtocolLevel = ProtocolLevel.V31;
                        return "";
                    }

                    return "bridge_protocol_version: '" + w + "' is not mqttv31 or mqttv311 (mqttv50: this broker speaks MQTT 3.1 and 3.1.1)";
                case "start_type":
                    if (w == "automatic")
                    {
                        o.Start = BridgeStart.Automatic;
                        return "";
                    }

                    if (w == "lazy")
                    {
                        o.Start = BridgeStart.Lazy;
                        return "";
                    }

                    if (w == "once")
                    {
                        o.Start = BridgeStart.Once;
                        return "";
                    }

                    return "start_type: '" + w + "' is not automatic, lazy or once";
            }

            return null;
        }

        private static string Done(string reason)
        {
            return reason ?? "";
        }

        /// <summary>topic PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]; "" stands for an empty prefix or pattern.</summary>
        private static string Topic(BridgeOptions o, string[] words)
        {
            if (o.TopicCount == BridgeOptions.MaxTopics)
            {
                return "at most " + BridgeOptions.MaxTopics + " topic lines per connection";
            }

            if (words.Length > 5 || words.Length == 4)
            {
                return "topic takes PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]";
            }

            BridgeDirection d = BridgeDirection.Out;
            if (words.Length > 1)
            {
                switch (words[1])
                {
                    case "out": d = BridgeDirection.Out; break;
                    case "in": d = BridgeDirection.In; break;
                    case "both": d = BridgeDirection.Both; break;
                    default: return "topic direction '" + words[1] + "' is not in, out or both";
                }
            }

            byte qos = 0;
            if (words.Length > 2 && (!byte.TryParse(words[2], out qos) || qos > 2))
            {
                return "topic QoS '" + words[2] + "' is not 0, 1 or 2";
            }

            string pattern = Empty(words[0]);
            string local = words.Length > 3 ? Empty(words[3]) : "";
            string remote = words.Length > 3 ? Empty(words[4]) : "";
            BridgeTopic t = new BridgeTopic(pattern, d, qos, local, remote);
            if (t.LocalFilter.Length == 0 || Device.Protocol.Topic.ValidateFilter(t.LocalFilter, 0, t.LocalFilter.Length) != DecodeResult.Ok
                || Device.Protocol.Topic.ValidateFilter(t.RemoteFilter, 0, t.RemoteFilter.Length) != DecodeResult.Ok)
            {
                return "topic: '" + local + pattern + "' / '" + remote + pattern + "' is not a valid topic filter";
            }

            o.AddTopic(t);
            return "";
        }

        private static string Empty(string w)
        {
            return w == "\"\"" ? "" : w;
        }
    }
}
