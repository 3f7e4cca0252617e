namespace Device.Net
{
    /// <summary>
    /// One `connection NAME` block of mosquitto.conf (and of the board's settings): where the upstream broker is, how
    /// to connect, what to forward. Defaults are Mosquitto 2.0's where it has one. Check returns why a value is out of range.
    /// </summary>
    public sealed class BridgeOptions
    {
        public const int MaxAddresses = 4;
        public const int MaxTopics = 16;

        /// <summary>`conflate PATTERN` lines per connection.</summary>
        public const int MaxConflate = 8;

        /// <summary>`conflate_slots`: distinct topics the conflate table holds (default and range).</summary>
        public const int DefaultConflateSlots = 16;
        public const int MinConflateSlots = 1;
        public const int MaxConflateSlots = 1024;

        /// <summary>`conflate_slot_bytes`: topic plus payload bytes one slot holds (default; at least 8, at most MaxPacketSize).</summary>
        public const int DefaultConflateSlotBytes = 128;
        public const int MinConflateSlotBytes = 8;

        public string Name;

        /// <summary>`address host:port [host:port...]`: tried in order; the first is the primary.</summary>
        public readonly string[] Hosts = new string[MaxAddresses];
        public readonly int[] Ports = new int[MaxAddresses];
        public int AddressCount;

        /// <summary>false (Mosquitto): after a failover, go back to the primary at the next restart; true: carry on with the next address.</summary>
        public bool RoundRobin;

        public readonly BridgeTopic[] Topics = new BridgeTopic[MaxTopics];
        public int TopicCount;

        /// <summary>
        /// `conflate PATTERN` (ours, not Mosquitto's): filters on the LOCAL names of `out` topics whose QoS 0 messages are
        /// kept as the newest per topic while the upstream is away or slow (ConflateTable). Null until the first one:
        /// a bridge without conflate allocates nothing for it.
        /// </summary>
        public byte[][] Conflate;
        public int ConflateCount;
        public int ConflateSlots = DefaultConflateSlots;
        public int ConflateSlotBytes = DefaultConflateSlotBytes;

        /// <summary>null: NAME (Mosquitto uses hostname.NAME).</summary>
        public string RemoteClientId;

        /// <summary>null: "local." + the remote client id (Mosquitto's default).</summary>
        public string LocalClientId;
        public string RemoteUsername;
        public string RemotePassword;

        /// <summary>Mosquitto: false, so the upstream keeps the bridge's session and its QoS 1/2 messages across outages.</summary>
        public bool CleanSession;
        public int KeepAliveSeconds = 60;

        /// <summary>Back-off between attempts: from RestartBaseSeconds doubling to RestartCapSeconds (Mosquitto: `restart_timeout 5 30`).</summary>
        public int RestartBaseSeconds = 5;
        public int RestartCapSeconds = 30;

        /// <summary>Connect with the bridge bit (ProtocolLevel.BridgeFlag); refused with CONNACK 1, the next attempt goes without it.</summary>
        public bool TryPrivate = true;

        public bool Notifications = true;

        /// <summary>null: $SYS/broker/connection/NAME/state. Payload "1" online, "0" offline (the will), retained.</summary>
        public string NotificationTopic;

        /// <summary>ProtocolLevel.V311 (mqttv311, default) or V31 (mqttv31); mqttv50 is refused by the config reader.</summary>
        public byte ProtocolLevel = Device.Protocol.ProtocolLevel.V311;
        public BridgeStart Start = BridgeStart.Automatic;

        /// <summary>Largest packet either side of the bridge carries (sizes its four buffers).</summary>
        public int MaxPacketSize = 1024;

        /// <summary>QoS 1/2 publishes in flight upstream at once (each keeps a MaxPacketSize copy for redelivery).</summary>
        public int InflightWindow = 8;

        /// <summary>`bridge_cafile`: PEM file of the CA(s) the upstream's certificate must chain to. With it or CaPath the bridge uses TLS.</summary>
        public string CaFile;

        /// <summary>`bridge_capath`: folder of PEM CA certificates (every *.pem and *.crt in it).</summary>
        public string CaPath;

        /// <summary>`bridge_certfile`/`bridge_keyfile`: the bridge's own certificate and its key (PEM), for upstreams that require_certificate.</summary>
        public string CertFile;
        public string KeyFile;

        /// <summary>`bridge_insecure true`: the chain is still checked, the host name in the certificate is not (Mosquitto's meaning).</summary>
        public bool Insecure;

        /// <summary>`bridge_tls_version`: null (what both sides agree, TLS 1.2 or newer), "tlsv1.2" or "tlsv1.3".</summary>
        public string TlsVersion;

        public bool UsesTls
        {
            get { return CaFile != null || CaPath != null; }
        }

        public string StateTopic
        {
            get { return NotificationTopic != null ? NotificationTopic : "$SYS/broker/connection/" + Name + "/state"; }
        }

        public string RemoteId
        {
            get { return RemoteClientId != null ? RemoteClientId : Name; }
        }

        public string LocalId
        {
            get { return LocalClientId != null ? LocalClientId : "local." + RemoteId; }
        }

        public void AddAddress(string host, int port)
        {
            Hosts[AddressCount] = host;
            Ports[AddressCount] = port;
            AddressCount++;
        }

        public void AddTopic(BridgeTopic t)
        {
            Topics[TopicCount++] = t;
        }

        /// <summary>Adds a conflate pattern; null when taken, else why not (invalid filter, too many).</summary>
        public string AddConflate(string pattern)
        {
            if (ConflateCount == MaxConflate)
            {
                return "at most " + MaxConflate.ToString() + " conflate patterns per connection";
            }

            byte[] f = new byte[Device.Protocol.Utf8.ByteCount(pattern)];
            Device.Protocol.Utf8.Encode(pattern, f, 0);
            if (f.Length == 0 || Device.Protocol.Topic.ValidateFilter(f, 0, f.Length) != Device.Protocol.DecodeResult.Ok)
            {
                return "conflate: '" + pattern + "' is not a valid topic filter";
            }

            if (Conflate == null)
            {
                Conflate = new byte[MaxConflate][];
            }

            Conflate[ConflateCount++] = f;
            return null;
        }

        /// <summary>Null when usable, else what is wrong.</summary>
        public string Check()
        {
            if (Name == null || Name.Length == 0)
            {
                return "connection needs a name";
            }

            if (AddressCount == 0)
            {
                return "connection " + Name + " has no address";
            }

            if (TopicCount == 0)
            {
                return "connection " + Name + " has no topic line (nothing would be bridged)";
            }

            if (KeepAliveSeconds < 0 || KeepAliveSeconds > 65535)
            {
                return "keepalive_interval must be 0..65535";
            }

            if ((CertFile == null) != (KeyFile == null))
            {
                return "connection " + Name + ": bridge_certfile and bridge_keyfile go together";
            }

            if (CertFile != null && !UsesTls)
            {
                return "connection " + Name + ": bridge_certfile needs bridge_cafile or bridge_capath (TLS is on only with a CA to check the upstream)";
            }

            if (MaxPacketSize < 64 || InflightWindow < 1 || InflightWindow > 255)
            {
                return "bridge buffers: packet size at least 64, in-flight window 1..255";
            }

            if (ConflateCount > 0 && (ConflateSlots < MinConflateSlots || ConflateSlots > MaxConflateSlots))
            {
                return "conflate_slots must be " + MinConflateSlots.ToString() + ".." + MaxConflateSlots.ToString();
            }

            if (ConflateCount > 0 && (ConflateSlotBytes < MinConflateSlotBytes || ConflateSlotBytes > MaxPacketSize))
            {
                return "conflate_slot_bytes must be " + MinConflateSlotBytes.ToString() + ".." + MaxPacketSize.ToString() + " (the bridge's packet size)";
            }

            return null;
        }
    }
}
