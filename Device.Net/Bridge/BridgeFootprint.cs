using Device.Broker;

namespace Device.Net
{
    /// <summary>
    /// What one Bridge allocates when it is built (its two MqttClient engines with their buffers and in-flight copies,
    /// its CONNECT sources, topic tables and scratch), declared like the stores' Measure methods so the board's budget
    /// can count it (Device.Broker's Budget cannot: it does not reference Device.Net). The bridge's local side is also a
    /// connection of the engine: that part is the engine's own budget with MaxClients one higher.
    /// host/Host.Tests/Bridge/BridgeFootprintTests compares it with what the GC saw.
    /// </summary>
    public static class BridgeFootprint
    {
        // Instance fields of the classes built here (counted by BridgeFootprintTests by reflection).
        public const int BridgeFields = 28;
        public const int ClientFields = 27;
        public const int InflightFields = 10;
        public const int ConnectViewFields = 18;
        public const int FixedHeaderFields = 5;
        public const int PublishViewFields = 8;
        public const int ConnackViewFields = 2;
        public const int SubackViewFields = 3;
        public const int ConnectOptionsFields = 10;
        public const int InboundQos2Capacity = 32;

        public static void Measure(Footprint f, BridgeOptions o)
        {
            int packet = o.MaxPacketSize;
            Client(f, packet, 2 * packet, o.InflightWindow, packet);
            Client(f, packet, 2 * packet, o.InflightWindow + 2, packet);
            f.Object(BridgeFields);
            f.Object(ConnectViewFields);
            f.Object(ConnectViewFields);
            f.Object(FixedHeaderFields);
            int outCount = 0, inCount = 0, longest = 0;
            for (int i = 0; i < o.TopicCount; i++)
            {
                BridgeTopic t = o.Topics[i];
                outCount += t.Outgoing ? 1 : 0;
                inCount += t.Incoming ? 1 : 0;
                longest = Max(longest, Max(t.LocalPrefix.Length, t.RemotePrefix.Length));
            }

            f.Array(1, packet + longest);
            f.References(outCount);
            f.Array(1, outCount);
            f.References(inCount);
            f.Array(1, inCount);
            f.Array(1, 1);
            f.Array(1, 1);
            f.Array(1, o.StateTopic.Length);
            if (o.ConflateCount > 0)
            {
                Conflate(f, o.ConflateSlots, o.ConflateSlotBytes);
            }

            // The two CONNECT sources (ConnectOptions.Build: client id, will, user name, password as bytes; ASCII
            // names assumed), the password's own bytes, and the two ConnectOptions, garbage after start-up but
            // allocated on the same heap.
            f.Object(ConnectOptionsFields);
            f.Object(ConnectOptionsFields);
            f.Array(1, o.LocalId.Length);
            int password = o.RemotePassword != null ? o.RemotePassword.Length : 0;
            f.Array(1, o.RemoteId.Length + (o.RemoteUsername != null ? o.RemoteUsername.Length : 0) + password
                + (o.Notifications ? o.StateTopic.Length + 1 : 0));
            if (o.RemotePassword != null)
            {
                f.Array(1, password);
            }
        }

        /// <summary>
        /// The `conflate` table of slots x slotBytes (ConflateTable.Measure; 0 B without a conflate line). On the board each
        /// slot costs slotBytes + 9 B of data, plus a fixed part (the table object and four array headers).
        /// </summary>
        public static void Conflate(Footprint f, int slots, int slotBytes)
        {
            ConflateTable.Measure(f, slots, slotBytes);
        }

        private static void Client(Footprint f, int rx, int tx, int window, int slot)
        {
            f.Object(ClientFields);
            f.Array(1, rx);
            f.Array(1, tx);
            f.Array(2, InboundQos2Capacity);
            f.Object(FixedHeaderFields);
            f.Object(FixedHeaderFields);
            f.Object(PublishViewFields);
            f.Object(ConnackViewFields);
            f.Object(SubackViewFields);
            f.Object(InflightFields);
            f.Array(2, window);
            f.Array(1, window);
            f.Array(4, window);
            f.Array(8, window);
            f.Array(1, window);
            f.Array(4, window);
            f.Array(1, window * slot);
        }

        private static int Max(int a, int b)
        {
            return a > b ? a : b;
        }
    }
}
