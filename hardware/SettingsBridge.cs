using Device.Net;
using Device.Protocol;

namespace Device.Hardware
{
    /// <summary>
    /// The settings file's `bridge` object: one bridge connection from the board to an upstream broker, with the keys
    /// of Mosquitto's `connection` block (docs/ARCHITECTURE.md, bridge on the board). Each bad value is refused with
    /// the file's line and the allowed values, like the other settings. A bridge costs memory the Device profile does
    /// not have spare: without an explicit maxClients the board serves <see cref="ClientsWithBridge"/> clients instead
    /// of 10 (host/Host.Tests/Bridge/BridgeFootprintTests proves the sum stays within 48 KB).
    /// </summary>
    internal sealed partial class Settings
    {
        /// <summary>Clients the board serves beside a bridge (without an explicit maxClients): the Device profile's 10.</summary>
        public const int ClientsWithBridge = 10;

        /// <summary>
        /// The packet limit with a bridge, for every client and the bridge (the bridge must carry any packet the engine
        /// accepts: a larger one would break its local side at every reconnect). One QoS 1/2 message in flight each way (the remote engine has two slots more: Bridge.cs).
        /// </summary>
        public const int BridgePacketSize = 512;
        public const int BridgeInflight = 1;

        /// <summary>
        /// The board's conflate table, allocated only when "conflate" is set (0 B otherwise): 4 slots of 64 B by default, at most
        /// 8 slots of at most 64 B, so the largest table still fits the bridged board's spare room beside 10 clients
        /// (host/Host.Tests/Bridge/ConflateFootprintTests prints the figures and proves the fit).
        /// </summary>
        public const int BoardConflateSlots = 8;
        public const int BoardConflateSlotsDefault = 4;
        public const int BoardConflateSlotBytes = 64;

        /// <summary>Null: no bridge.</summary>
        public BridgeOptions Bridge;

        /// <summary>The CA certificate on the board's drive (for example I:\ca.pem): set, the bridge speaks TLS (BoardTlsConnector).</summary>
        public string BridgeCaFile;

        /// <summary>The name the upstream's certificate must carry (the board connects by address); null: the address.</summary>
        public string BridgeServerName;

        /// <summary>The trade that pays for a bridge: the Device options with packets (and transmit buffers) of BridgePacketSize.</summary>
        public static Device.Broker.BrokerOptions WithBridge(Device.Broker.BrokerOptions o)
        {
            o.MaxPacketSize = BridgePacketSize;
            o.TxBufferSize = BridgePacketSize;
            return o;
        }

        /// <summary>Called when the file opens the `bridge` object.</summary>
        public void BeginBridge()
        {
            Bridge = new BridgeOptions();
            Bridge.MaxPacketSize = BridgePacketSize;
            Bridge.InflightWindow = BridgeInflight;
            Bridge.ConflateSlots = BoardConflateSlotsDefault;
            Bridge.ConflateSlotBytes = BoardConflateSlotBytes;
        }

        /// <summary>Called at the bridge object's closing brace: null, or what the bridge still lacks.</summary>
        public string EndBridge()
        {
            string problem = Bridge.Check();
            return problem == null ? null : "bridge: " + problem;
        }

        /// <summary>One key of the `bridge` object (each element of "topics" comes here on its own); null when accepted.</summary>
        public string ApplyBridge(string key, string text, int number, int kind)
        {
            BridgeOptions b = Bridge;
            switch (key)
            {
                case "name":
                    if (kind != SettingsJson.KindString || text.Length == 0 || text.IndexOf(' ') >= 0)
                    {
                        return "\"bridge\".\"name\" must be a word such as \"site\" (no spaces)";
                    }

                    b.Name = text;
                    return null;
                case "address":
                    return kind == SettingsJson.KindString ? Addresses(b, text) : "\"bridge\".\"address\" must be a string such as \"192.168.1.10:1883\"";
                case "topics":
                    return kind == SettingsJson.KindString ? Topic(b, text) : "\"bridge\".\"topics\" must be a list of strings such as [\"sensors/# out 1\"] (or one such string)";
                case "conflate":
                    // Ours, not Mosquitto's (docs/BRIDGE.md, "conflate"): off unless listed; each slot costs RAM the Device profile must pay for.
                    if (kind != SettingsJson.KindString)
                    {
                        return "\"bridge\".\"conflate\" must be a list of topic filters such as [\"sensors/+/temp\"] (or one such string)";
                    }

                    string wrong = b.AddConflate(text);
                    return wrong == null ? null : "\"bridge\".\"conflate\": " + wrong;
                case "conflateSlots":
                    if (kind != SettingsJson.KindNumber || number < BridgeOptions.MinConflateSlots || number > BoardConflateSlots)
                    {
                        return "\"bridge\".\"conflateSlots\" must be a number of topics from " + BridgeOptions.MinConflateSlots.ToString() + " to " + BoardConflateSlots.ToString();
                    }

                    b.ConflateSlots = number;
                    return null;
                case "conflateSlotBytes":
                    if (kind != SettingsJson.KindNumber || number < BridgeOptions.MinConflateSlotBytes || number > BoardConflateSlotBytes)
                    {
                        return "\"bridge\".\"conflateSlotBytes\" must be a number of bytes (topic and payload) from " + BridgeOptions.MinConflateSlotBytes.ToString()
                            + " to " + BoardConflateSlotBytes.ToString() + " (the board's RAM)";
                    }

                    b.ConflateSlotBytes = number;
                    return null;
                case "remoteClientId":
                case "remoteUsername":
                case "remotePassword":
                case "notificationTopic":
                case "caFile":
                case "serverName":
                    if (kind != SettingsJson.KindString || text.Length == 0)
                    {
                        return "\"bridge\".\"" + key + "\" must be a non-empty string";
                    }

                    if (key == "remoteClientId")
                    {
                        b.RemoteClientId = text;
                    }
                    else if (key == "remoteUsername")
                    {
                        b.RemoteUsername = text;
                    }
                    else if (key == "remotePassword")
                    {
                        b.RemotePassword = text;
                    }
                    else if (key == "notificationTopic")
                    {
                        b.NotificationTopic = text;
                    }
                    else if (key == "caFile")
                    {
                        BridgeCaFile = text;
                    }
                    else
                    {
                        BridgeServerName = text;
                    }

                    return null;
                case "cleanSession":
                case "notifications":
                case "tryPrivate":
                case "roundRobin":
                    if (kind != SettingsJson.KindBool)
                    {
                        return "\"bridge\".\"" + key + "\" must be true or false";
                    }

                    if (key == "cleanSession")
                    {
                        b.CleanSession = number != 0;
                    }
                    else if (key == "notifications")
                    {
                        b.Notifications = number != 0;
                    }
                    else if (key == "tryPrivate")
                    {
                        b.TryPrivate = number != 0;
                    }
                    else
                    {
                        b.RoundRobin = number != 0;
                    }

                    return null;
                case "keepAlive":
                    if (kind != SettingsJson.KindNumber || number < 5 || number > 65535)
                    {
                        return "\"bridge\".\"keepAlive\" must be a number of seconds from 5 to 65535";
                    }

                    b.KeepAliveSeconds = number;
                    return null;
                case "restartTimeout":
                    if (kind != SettingsJson.KindNumber || number < 1 || number > 86400)
                    {
                        return "\"bridge\".\"restartTimeout\" must be a number of seconds from 1 to 86400";
                    }

                    // One value: the back-off starts there and doubles up to 30 s or the value, whichever is larger.
                    b.RestartBaseSeconds = number;
                    b.RestartCapSeconds = number > 30 ? number : 30;
                    return null;
                case "start":
                    if (kind == SettingsJson.KindString && text == "automatic")
                    {
                        b.Start = BridgeStart.Automatic;
                    }
                    else if (kind == SettingsJson.KindString && text == "lazy")
                    {
                        b.Start = BridgeStart.Lazy;
                    }
                    else if (kind == SettingsJson.KindString && text == "once")
                    {
                        b.Start = BridgeStart.Once;
                    }
                    else
                    {
                        return "\"bridge\".\"start\" must be \"automatic\", \"lazy\" or \"once\"";
                    }

                    return null;
                case "protocol":
                    if (kind == SettingsJson.KindString && text == "mqttv311")
                    {
                        b.ProtocolLevel = ProtocolLevel.V311;
                    }
                    else if (kind == SettingsJson.KindString && text == "mqttv31")
                    {
                        b.ProtocolLevel = ProtocolLevel.V31;
                    }
                    else
                    {
                        return "\"bridge\".\"protocol\" must be \"mqttv311\" or \"mqttv31\"";
                    }

                    return null;
            }

            return "unknown bridge setting \"" + key + "\" (known: name, address, topics, remoteClientId, remoteUsername, remotePassword, "
                + "cleanSession, keepAlive, restartTimeout, tryPrivate, notifications, notificationTopic, roundRobin, start, protocol, caFile, serverName, "
                + "conflate, conflateSlots, conflateSlotBytes)";
        }

        /// <summary>"host:port host:port": IPv4 addresses only (the board does not look names up), at most BridgeOptions.MaxAddresses.</summary>
        private static string Addresses(BridgeOptions b, string text)
        {
            string[] parts = text.Split(' ');
            for (int i = 0; i < parts.Length; i++)
            {
                string a = parts[i];
                if (a.Length == 0)
                {
                    continue;
                }

                if (b.AddressCount == BridgeOptions.MaxAddresses)
                {
                    return "\"bridge\".\"address\": at most " + BridgeOptions.MaxAddresses.ToString() + " addresses";
                }

                int colon = a.IndexOf(':');
                string host = colon < 0 ? a : a.Substring(0, colon);
                int port = colon < 0 ? 1883 : Number(a.Substring(colon + 1));
                if (!IsIpv4(host) || port < 1 || port > 65535)
                {
                    return "\"bridge\".\"address\": '" + a + "' is not IPv4:port (port 1 to 65535; the board does not look names up)";
                }

                b.AddAddress(host, port);
            }

            return b.AddressCount > 0 ? null : "\"bridge\".\"address\" must hold at least one IPv4:port";
        }

        /// <summary>Mosquitto's topic line: "PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]", "" for an empty prefix.</summary>
        private static string Topic(BridgeOptions b, string line)
        {
            if (b.TopicCount == BridgeOptions.MaxTopics)
            {
                return "\"bridge\".\"topics\": at most " + BridgeOptions.MaxTopics.ToString() + " topics";
            }

            string[] raw = line.Split(' ');
            string[] w = new string[5];
            int n = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i].Length == 0)
                {
                    continue;
                }

                if (n == 5)
                {
                    return "\"bridge\".\"topics\": '" + line + "' has more than PATTERN DIRECTION QOS LOCAL_PREFIX REMOTE_PREFIX";
                }

                w[n++] = raw[i] == "\"\"" ? "" : raw[i];
            }

            if (n == 0 || n == 4)
            {
                return "\"bridge\".\"topics\": '" + line + "' must be PATTERN [in|out|both [QOS [LOCAL_PREFIX REMOTE_PREFIX]]]";
            }

            BridgeDirection d = BridgeDirection.Out;
            if (n > 1)
            {
                if (w[1] == "in")
                {
                    d = BridgeDirection.In;
                }
                else if (w[1] == "both")
                {
                    d = BridgeDirection.Both;
                }
                else if (w[1] != "out")
                {
                    return "\"bridge\".\"topics\": direction '" + w[1] + "' must be in, out or both";
                }
            }

            int qos = n > 2 ? Number(w[2]) : 0;
            if (qos < 0 || qos > 2)
            {
                return "\"bridge\".\"topics\": QoS '" + w[2] + "' must be 0, 1 or 2";
            }

            BridgeTopic t = new BridgeTopic(w[0], d, (byte)qos, n > 3 ? w[3] : "", n > 3 ? w[4] : "");
            if (t.LocalFilter.Length == 0 || Device.Protocol.Topic.ValidateFilter(t.LocalFilter, 0, t.LocalFilter.Length) != DecodeResult.Ok
                || Device.Protocol.Topic.ValidateFilter(t.RemoteFilter, 0, t.RemoteFilter.Length) != DecodeResult.Ok)
            {
                return "\"bridge\".\"topics\": '" + line + "' is not a valid topic filter once prefixed";
            }

            b.AddTopic(t);
            return null;
        }

        /// <summary>A whole number of at most 9 digits; -1 when it is not one.</summary>
        private static int Number(string s)
        {
            if (s.Length == 0 || s.Length > 9)
            {
                return -1;
            }

            char[] c = s.ToCharArray();
            int v = 0;
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] < '0' || c[i] > '9')
                {
                    return -1;
                }

                v = v * 10 + (c[i] - '0');
            }

            return v;
        }

        private static bool IsIpv4(string host)
        {
            string[] parts = host.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            for (int i = 0; i < 4; i++)
            {
                int v = Number(parts[i]);
                if (v < 0 || v > 255 || parts[i].Length > 3)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
