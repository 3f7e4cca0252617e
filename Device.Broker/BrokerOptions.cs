namespace Device.Broker
{
    /// <summary>
    /// Every limit of the engine, and the only place limits live: the constructor of <see cref="BrokerEngine"/>
    /// sizes every table and buffer from these numbers once, and nothing grows afterwards.
    /// <see cref="Budget.For"/> reports what a given set of options costs in bytes.
    /// </summary>
    public sealed class BrokerOptions
    {
        // ---- Connections ---------------------------------------------------------------------------

        /// <summary>MQTT clients connected at once. One more CONNECT is answered with CONNACK 3.</summary>
        public int MaxClients;

        /// <summary>
        /// Connection slots beyond MaxClients. Without a spare slot a full broker could neither answer the next
        /// client with CONNACK 3 nor let a client take over its own session (the new connection needs a slot
        /// while the old one still holds its own).
        /// </summary>
        public int SpareConnections;

        /// <summary>
        /// Largest packet accepted, header included. Fixed buffers: also the size of each connection's receive
        /// buffer. Grown buffers: a receive buffer grows to it for the packet at hand, and a PUBLISH larger than
        /// one message of the pool can be (seven eighths of its message bytes) is refused like a larger packet.
        /// </summary>
        public int MaxPacketSize;

        /// <summary>
        /// Fixed buffers: each connection's transmit buffer; at least MaxPacketSize, so an empty buffer always
        /// takes one packet. Grown buffers: how many bytes of packets may wait in one connection's transmit buffer
        /// (one PUBLISH alone may be up to MaxPacketSize), and the largest packet other than PUBLISH.
        /// </summary>
        public int TxBufferSize;

        /// <summary>
        /// False (the board): every connection's receive and transmit buffers are preallocated windows of two
        /// arrays. True (the PC): a connection holds buffers from a pool only while it has bytes in them, sized
        /// for the packet at hand and given back when empty (Memory/BufferPool), so idle clients cost no buffer
        /// memory and large packets need no large preallocation.
        /// </summary>
        public bool GrowBuffers;

        /// <summary>Grown buffers: the most bytes of connection buffers held at once (a read or write waits beyond it).</summary>
        public int BufferBytes;

        /// <summary>A connection that has not sent CONNECT after this long is closed.</summary>
        public int ConnectTimeoutMs;

        /// <summary>A non-zero keep-alive below this is refused with CONNACK 2 (0 = no lower bound).</summary>
        public int KeepAliveMinSeconds;

        /// <summary>
        /// A keep-alive above this, or 0 (never expires), is refused with CONNACK 2, as Mosquitto's max_keepalive
        /// does for 3.1/3.1.1 clients. 0 = no upper bound and keep-alive 0 allowed.
        /// </summary>
        public int KeepAliveMaxSeconds;

        /// <summary>Longest client identifier stored; a longer one is refused with CONNACK 2. At least 23 (the spec's minimum).</summary>
        public int MaxClientIdLength;

        /// <summary>Longest user name kept for the ACL's user rules and %u; a longer one is refused with CONNACK 4.</summary>
        public int MaxUsernameLength;

        // ---- Sessions ------------------------------------------------------------------------------

        /// <summary>Sessions with CleanSession=0 kept at once, connected or not. One more is refused with CONNACK 3.</summary>
        public int MaxPersistentSessions;

        /// <summary>Outbound QoS 1/2 messages awaiting acknowledgement per session (Mosquitto's max_inflight_messages).</summary>
        public int InflightPerSession;

        /// <summary>
        /// Inbound QoS 2 packet ids remembered per session between PUBLISH and PUBREL. A client with this many
        /// unreleased ids has its next new QoS 2 PUBLISH held (its PUBRELs are still read) until one is released.
        /// </summary>
        public int IncomingQos2PerSession;

        // ---- Flow control (Flow/): the shared pool, the queues, back-pressure, the stall cut-off ----------

        /// <summary>
        /// Bytes of the one pool every session's messages, queues and in-flight state come from (Mosquitto's
        /// memory_limit, sized at start-up). Split by <see cref="PoolMessages"/>, <see cref="PoolEntries"/> and
        /// <see cref="PoolArenaBytes"/>. When it is full, QoS 1/2 publishers are held (not read) and QoS 0
        /// deliveries that would have to wait are dropped (counted).
        /// </summary>
        public int PoolBytes;

        /// <summary>
        /// Per session, messages waiting to be sent (Mosquitto's max_queued_messages). Offline, a message beyond it
        /// is dropped (counted, newest first). Connected, QoS 1/2 beyond it holds its publisher (back-pressure) and
        /// QoS 0 beyond it is dropped (counted).
        /// </summary>
        public int MaxQueuedMessages;

        /// <summary>As MaxQueuedMessages, in topic and payload bytes (Mosquitto's max_queued_bytes); 0 = no byte limit.</summary>
        public int MaxQueuedBytes;

        /// <summary>Offline persistent sessions also keep QoS 0 messages (Mosquitto's queue_qos0_messages); off: dropped, counted.</summary>
        public bool QueueQos0Messages;

        /// <summary>
        /// A connected subscriber that holds a publisher back and has taken nothing (no bytes read, no ack) for
        /// this long is disconnected (CloseReason.Stalled, counted); its persistent session keeps what the
        /// offline limits allow, and the publishers run again.
        /// </summary>
        public int StallTimeoutMs;

        // ---- Subscriptions, retained, wills --------------------------------------------------------

        public int MaxSubscriptions;
        public int MaxSubscriptionsPerClient;

        /// <summary>Bytes for all subscription filters together.</summary>
        public int SubscriptionBytes;

        /// <summary>Longest topic name or filter accepted for routing, retaining and subscribing.</summary>
        public int MaxTopicLength;

        /// <summary>
        /// Most levels a topic name or filter (PUBLISH, SUBSCRIBE, will) may have; beyond it the connection is closed,
        /// as Mosquitto does beyond its hierarchy limit (200 separators, so 201 levels). 0 = no limit.
        /// </summary>
        public int MaxTopicLevels;

        /// <summary>
        /// Mosquitto's message_size_limit: a PUBLISH with a longer payload is acknowledged and dropped, a will with
        /// one refuses the CONNECT (CONNACK 5). 0 = only MaxPacketSize limits it.
        /// </summary>
        public int MaxPayloadSize;

        /// <summary>Granted QoS is min(requested, MaxQos).</summary>
        public int MaxQos;

        public int RetainedSlots;

        /// <summary>Bytes for all retained topics and payloads together.</summary>
        public int RetainedBytes;

        /// <summary>Bytes for the wills of all connections together; a will that does not fit is refused with CONNACK 3.</summary>
        public int WillBytes;

        // ---- Security ------------------------------------------------------------------------------

        /// <summary>Clients without a user name may connect (CONNACK 5 otherwise); listener 0's, see <see cref="Listeners"/>.</summary>
        public bool AllowAnonymous;

        /// <summary>
        /// Listeners with security of their own (Mosquitto's per_listener_settings): each has its own Users, Acl and
        /// anonymous setting, sized like the first. 1 = one set for every connection.
        /// </summary>
        public int Listeners;

        /// <summary>Mosquitto's allow_zero_length_clientid: false refuses an empty client id with CONNACK 2 instead of assigning one.</summary>
        public bool AllowZeroLengthClientId;

        /// <summary>Mosquitto's auto_id_prefix: assigned client ids are this and 8 hex digits.</summary>
        public string AutoIdPrefix;

        /// <summary>Mosquitto's upgrade_outgoing_qos: deliver at the subscription's QoS even when the message was published lower.</summary>
        public bool UpgradeOutgoingQos;

        /// <summary>Mosquitto's retain_available: false closes the connection of a client that sends a retained PUBLISH or will.</summary>
        public bool RetainAvailable;

        /// <summary>Mosquitto's persistent_client_expiration: persistent sessions offline this long are removed (0 = kept).</summary>
        public long PersistentSessionExpirySeconds;

        public int MaxUsers;

        /// <summary>Bytes for all user names and passwords together.</summary>
        public int UserBytes;

        public int MaxAclRules;

        /// <summary>Bytes for the ACL's topics and user names together.</summary>
        public int AclBytes;

        /// <summary>
        /// Highest PBKDF2 iteration count a "$7$" password entry may have: each CONNECT with a password costs two
        /// SHA-512 blocks per iteration on the engine's one thread (see docs/SECURITY.md for the board's figures).
        /// </summary>
        public int MaxPasswordIterations;

        // ---- The embedding API (docs/EMBEDDING.md) ------------------------------------------------
        /// <summary>
        /// Allocates the embedding API's state: local subscriptions, the access hook and client events (Publish
        /// works without it). Off in the Device profile, where its bytes are the app's to give (Budget shows them).
        /// </summary>
        public bool Embedded;
        /// <summary>Local subscriptions (BrokerEngine.Subscribe) at once, when Embedded.</summary>
        public int LocalSubscriptions;
        /// <summary>Bytes for all local subscription filters together, when Embedded.</summary>
        public int LocalFilterBytes;

        /// <summary>
        /// ESP32 without PSRAM: 10 clients in well under 48 KB of managed heap (see Budget and docs/ARCHITECTURE.md).
        /// lwIP on the ESP32 firmware offers 16 sockets; 11 connections leave room for the listener, DNS and a bridge.
        /// </summary>
        public static BrokerOptions Device()
        {
            BrokerOptions o = new BrokerOptions();
            o.MaxClients = 10;
            o.SpareConnections = 1;
            o.MaxPacketSize = 1024;
            o.TxBufferSize = 1024;
            // Everything preallocated within the 48 KB budget: no buffer is ever allocated on the board.
            o.GrowBuffers = false;
            o.BufferBytes = 0;
            o.ConnectTimeoutMs = 10000;
            o.KeepAliveMinSeconds = 0;
            // Keep-alive 0 would let a vanished client hold one of only ten slots forever.
            o.KeepAliveMaxSeconds = 3600;
            o.MaxClientIdLength = 32;
            o.MaxUsernameLength = 32;
            o.MaxPersistentSessions = 6;
            o.InflightPerSession = 4;
            o.IncomingQos2PerSession = 8;
            o.PoolBytes = 6144;
            o.MaxQueuedMessages = 16;
            o.MaxQueuedBytes = 0;
            o.QueueQos0Messages = false;
            o.StallTimeoutMs = 5000;
            o.MaxSubscriptions = 64;
            o.MaxSubscriptionsPerClient = 16;
            // 64 filters of 21 bytes on average; 1536 before issue 16's routing index, whose signatures (2 bytes a
            // subscription, Stores/Subscriptions.cs) took the difference to stay within the 48 KB budget.
            o.SubscriptionBytes = 1344;
            o.MaxTopicLength = 128;
            // A 128-byte topic has at most 65 levels; 32 covers real device topics and bounds the scans.
            o.MaxTopicLevels = 32;
            o.MaxPayloadSize = 0;
            o.MaxQos = 2;
            o.RetainedSlots = 20;
            // 20 retained topics of about 90 bytes (topic and payload) each; cut from 2,560 when the Mosquitto
            // options (listeners, topic levels, reload counters) joined the engine, and from 2,304 for the board
            // store (Persistence/FlashStore, Budget.BoardStore), to stay within 48 KB.
            o.RetainedBytes = 1792;
            // 64 bytes of will topic and message per connection: the embedding API's counters and the engine's Stop
            // flag took what the Device profile had left below 48 KB (issue 15).
            o.WillBytes = 704;
            o.AllowAnonymous = true;
            o.Listeners = 1;
            o.AllowZeroLengthClientId = true;
            o.AutoIdPrefix = "auto-";
            o.UpgradeOutgoingQos = false;
            o.RetainAvailable = true;
            o.PersistentSessionExpirySeconds = 0;
            // What the board's settings can hold (hardware/SecurityFiles.cs): a password file of 4 users, each a name
            // of up to MaxUsernameLength bytes with a salt of up to 64 and a 64-byte hash; an ACL file of 12 rules
            // in 384 bytes of topics and user names (within the 48 KB budget next to the flow-control pool).
            o.MaxUsers = 4;
            o.UserBytes = 4 * (32 + 64 + 64);
            o.MaxAclRules = 12;
            o.AclBytes = 384;
            // mosquitto_passwd 2.0 writes 101; 1000 is our passwd command's default. See docs/SECURITY.md for the cost.
            o.MaxPasswordIterations = 1000;
            // Embedding off: a gateway app turns it on and pays for it (docs/EMBEDDING.md); the sizes are ready.
            o.Embedded = false;
            o.LocalSubscriptions = 4;
            o.LocalFilterBytes = 128;
            return o;
        }

        /// <summary>
        /// The PC: 20,000 clients (Mosquitto has no limit by default; ours is bounded by 16-bit slot references),
        /// packets up to the MQTT maximum (256 MB, bounded by what the pool can hold: see MaxPacketSize), buffers
        /// grown on demand so an idle client costs its connection state only.
        /// </summary>
        public static BrokerOptions Host()
        {
            BrokerOptions o = new BrokerOptions();
            o.MaxClients = 20000;
            o.SpareConnections = 12;
            // MQTT's largest Remaining Length (268,435,455) plus the 5-byte fixed header, as Mosquitto takes by default.
            o.MaxPacketSize = MqttMaxPacket;
            o.TxBufferSize = 65536;
            o.GrowBuffers = true;
            o.BufferBytes = 1024 * 1024 * 1024;
            o.ConnectTimeoutMs = 10000;
            o.KeepAliveMinSeconds = 0;
            o.KeepAliveMaxSeconds = 0;
            o.MaxClientIdLength = 128;
            o.MaxUsernameLength = 128;
            o.MaxPersistentSessions = 1000;
            o.InflightPerSession = 20;
            o.IncomingQos2PerSession = 20;
            o.PoolBytes = 64 * 1024 * 1024;
            o.MaxQueuedMessages = 1000;
            o.MaxQueuedBytes = 0;
            o.QueueQos0Messages = false;
            o.StallTimeoutMs = 5000;
            o.MaxSubscriptions = 20000;
            o.MaxSubscriptionsPerClient = 200;
            o.SubscriptionBytes = 1024 * 1024;
            o.MaxTopicLength = 1024;
            o.MaxTopicLevels = 201;
            o.MaxPayloadSize = 0;
            o.MaxQos = 2;
            o.RetainedSlots = 10000;
            o.RetainedBytes = 4 * 1024 * 1024;
            o.WillBytes = 1024 * 1024;
            o.AllowAnonymous = true;
            o.Listeners = 1;
            o.AllowZeroLengthClientId = true;
            o.AutoIdPrefix = "auto-";
            o.UpgradeOutgoingQos = false;
            o.RetainAvailable = true;
            o.PersistentSessionExpirySeconds = 0;
            o.MaxUsers = 1000;
            o.UserBytes = 256 * 1024;
            o.MaxAclRules = 2000;
            o.AclBytes = 256 * 1024;
            o.MaxPasswordIterations = 1000000;
            o.Embedded = true;
            o.LocalSubscriptions = 32;
            o.LocalFilterBytes = 2048;
            return o;
        }

        /// <summary>The largest packet MQTT can express: Remaining Length 268,435,455 plus a 5-byte fixed header.</summary>
        public const int MqttMaxPacket = 268435460;

        /// <summary>Total connection slots: the clients plus the spares.</summary>
        public int Connections { get { return MaxClients + SpareConnections; } }

        /// <summary>
        /// Session slots: every connected client needs one, and persistent sessions outlive their connection,
        /// so at worst all clients are connected with clean sessions while every persistent one is offline.
        /// </summary>
        public int Sessions { get { return MaxClients + MaxPersistentSessions; } }

        /// <summary>Messages the pool holds at once (one per 128 pool bytes, at least 8).</summary>
        public int PoolMessages { get { int n = PoolBytes / 128; return n < 8 ? 8 : n; } }

        /// <summary>Queued and in-flight deliveries of all sessions together (one per 64 pool bytes, at least 16).</summary>
        public int PoolEntries { get { int n = PoolBytes / 64; return n < 16 ? 16 : n; } }

        /// <summary>What is left of PoolBytes for topics and payloads, after the message and entry tables.</summary>
        public int PoolArenaBytes { get { return PoolBytes - PoolMessages * MessageCost - PoolEntries * EntryCost; } }

        /// <summary>Table bytes per pooled message: arena offset, length, links and free list (5 ints), references (int), topic length (ushort).</summary>
        public const int MessageCost = 26;

        /// <summary>Table bytes per delivery entry: next, message (ints), packet id (ushort), state, flags.</summary>
        public const int EntryCost = 12;

        /// <summary>
        /// Null when the options are usable, otherwise what is wrong, naming the field and its allowed range (the
        /// BrokerEngine constructor throws with it; the host program maps it back to the config file's line).
        /// Besides plain bounds it checks what the engine's tables can index: per-session counters and ring
        /// positions are 16-bit, slot references 16-bit, and each store is one array whose length is an int.
        /// </summary>
        public string Check()
        {
            string field;
            return Check(out field);
        }

        /// <summary>As <see cref="Check()"/>; <paramref name="field"/> names the option at fault (null when none).</summary>
        public string Check(out string field)
        {
            field = null;
            string p = Range("MaxClients", MaxClients, 1, MaxSlots, ref field)
                ?? Range("SpareConnections", SpareConnections, 0, MaxSlots - MaxClients, ref field)
                // Smallest useful packet: CONNECT with a 23-byte client id is 14 + 25 bytes.
                ?? Range("MaxPacketSize", MaxPacketSize, 64, 268435460, ref field)
                ?? Range("TxBufferSize", TxBufferSize, GrowBuffers ? 1024 : MaxPacketSize, MqttMaxPacket, ref field)
                ?? Range("BufferBytes", BufferBytes, GrowBuffers ? 65536 : 0, int.MaxValue, ref field)
                // 3.1.1 requires ids of 1-23 bytes to be accepted.
                ?? Range("MaxClientIdLength", MaxClientIdLength, 23, 65535, ref field)
                ?? Range("MaxUsernameLength", MaxUsernameLength, 1, 65535, ref field)
                ?? Range("MaxTopicLength", MaxTopicLength, 1, 65535, ref field)
                ?? Range("MaxPersistentSessions", MaxPersistentSessions, 0, MaxSlots - MaxClients, ref field)
                // Per-session counts live in 16-bit counters (Deliveries' in-flight count, IncomingQos2, Subscriptions).
                ?? Range("InflightPerSession", InflightPerSession, 1, MaxSlots, ref field)
                ?? Range("IncomingQos2PerSession", IncomingQos2PerSession, 1, MaxSlots, ref field)
                ?? Range("PoolBytes", PoolBytes, 1024, 1073741824, ref field)
                ?? Range("MaxQueuedMessages", MaxQueuedMessages, 1, int.MaxValue, ref field)
                ?? Range("MaxQueuedBytes", MaxQueuedBytes, 0, int.MaxValue, ref field)
                ?? Range("StallTimeoutMs", StallTimeoutMs, 100, int.MaxValue, ref field)
                ?? Range("MaxSubscriptions", MaxSubscriptions, 1, MaxSlots, ref field)
                ?? Range("MaxSubscriptionsPerClient", MaxSubscriptionsPerClient, 1, MaxSlots, ref field)
                ?? Range("SubscriptionBytes", SubscriptionBytes, 1, int.MaxValue, ref field)
                ?? Range("MaxQos", MaxQos, 0, 2, ref field)
                ?? Range("MaxTopicLevels", MaxTopicLevels, 0, 65535, ref field)
                ?? Range("MaxPayloadSize", MaxPayloadSize, 0, 268435455, ref field)
                ?? Range("Listeners", Listeners, 1, 8, ref field)
                ?? Range("RetainedSlots", RetainedSlots, 0, MaxSlots, ref field)
                ?? Range("RetainedBytes", RetainedBytes, 0, int.MaxValue, ref field)
                ?? Range("WillBytes", WillBytes, 0, int.MaxValue, ref field)
                // Users keep 3 arena records each, ACL rules 2, in 16-bit handles.
                ?? Range("MaxUsers", MaxUsers, 0, MaxSlots / 3, ref field)
                ?? Range("UserBytes", UserBytes, 0, int.MaxValue, ref field)
                ?? Range("MaxAclRules", MaxAclRules, 0, MaxSlots / 2, ref field)
                ?? Range("AclBytes", AclBytes, 0, int.MaxValue, ref field)
                ?? Range("MaxPasswordIterations", MaxPasswordIterations, 1, 10000000, ref field)
                ?? Range("ConnectTimeoutMs", ConnectTimeoutMs, 1, int.MaxValue, ref field)
                ?? Range("KeepAliveMaxSeconds", KeepAliveMaxSeconds, 0, 65535, ref field)
                ?? Range("KeepAliveMinSeconds", KeepAliveMinSeconds, 0, KeepAliveMaxSeconds > 0 ? KeepAliveMaxSeconds : 65535, ref field)
                ?? (Embedded ? Range("LocalSubscriptions", LocalSubscriptions, 1, MaxSlots, ref field) : null)
                ?? (Embedded ? Range("LocalFilterBytes", LocalFilterBytes, 1, int.MaxValue, ref field) : null);
            if (p != null)
            {
                return p;
            }

            if (PersistentSessionExpirySeconds < 0)
            {
                field = "PersistentSessionExpirySeconds";
                return "PersistentSessionExpirySeconds is " + PersistentSessionExpirySeconds.ToString() + ", allowed 0 (never) or more";
            }

            if (AutoIdPrefix == null || AutoIdPrefix.Length > 64 || AutoIdPrefix.Length + 8 > MaxClientIdLength)
            {
                field = "AutoIdPrefix";
                return "AutoIdPrefix must be set, at most 64 characters, and with 8 hex digits fit MaxClientIdLength (" + MaxClientIdLength.ToString() + ")";
            }

            // A message of the largest packet must fit an empty pool, or its publisher would wait for ever. (Grown
            // buffers lower the framer's limit to what the pool holds instead: BrokerEngine.PacketLimit.)
            if (!GrowBuffers && PoolArenaBytes - PoolArenaBytes / 8 < MaxPacketSize)
            {
                field = "PoolBytes";
                return "PoolBytes is " + PoolBytes.ToString() + ": seven eighths of its message bytes (" + (PoolArenaBytes - PoolArenaBytes / 8).ToString()
                    + ") must hold one packet of MaxPacketSize (" + MaxPacketSize.ToString() + ")";
            }

            // Every connection's buffers are windows of one array each, the sessions' tables likewise.
            int connections = Connections;
            int sessions = Sessions;
            string b = GrowBuffers ? null : Product("MaxPacketSize", MaxPacketSize, connections, "connections", ref field)
                ?? Product("TxBufferSize", TxBufferSize, connections, "connections", ref field);
            if (b != null)
            {
                return b;
            }

            return Product("MaxClientIdLength", MaxClientIdLength, sessions, "sessions", ref field)
                ?? Product("MaxUsernameLength", MaxUsernameLength, sessions, "sessions", ref field)
                ?? Product("IncomingQos2PerSession", IncomingQos2PerSession, sessions, "sessions", ref field);
        }

        /// <summary>Slot counts and per-session counts are held in 16-bit signed references and counters.</summary>
        public const int MaxSlots = 32767;

        private static string Range(string name, int value, int min, int max, ref string field)
        {
            if (value >= min && value <= max)
            {
                return null;
            }

            field = name;
            return name + " is " + value.ToString() + ", allowed " + min.ToString() + ".." + max.ToString();
        }

        private static string Product(string name, int value, int count, string what, ref string field)
        {
            long total = (long)value * count;
            if (total <= MaxArrayLength)
            {
                return null;
            }

            field = name;
            return name + " is " + value.ToString() + ": with " + count.ToString() + " " + what + " that is " + total.ToString()
                + " entries in one array, more than " + MaxArrayLength.ToString() + "; allowed 1.." + (MaxArrayLength / count).ToString();
        }

        /// <summary>The longest array .NET allocates (Array.MaxLength); nanoFramework's heap is far smaller anyway.</summary>
        private const long MaxArrayLength = 2147483591;
    }
}
