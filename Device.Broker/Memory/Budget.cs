namespace Device.Broker
{
    /// <summary>
    /// The bytes a Broker preallocates for a set of options, per store, computed without building one: each
    /// store's Measure method declares the arrays its constructor allocates. Device figures are estimates for
    /// the nanoFramework heap (12-byte heap blocks, 20-byte array headers, 12 bytes per object field); host
    /// figures are for .NET on x64 and are checked against the GC by a host test.
    /// </summary>
    public sealed class Budget
    {
        public readonly string[] Names;
        public readonly Footprint[] Lines;
        public readonly Footprint Total;

        private Budget(int lines)
        {
            Names = new string[lines];
            Lines = new Footprint[lines];
            Total = new Footprint();
        }

        public static Budget For(BrokerOptions o)
        {
            int sessions = o.Sessions;
            int connections = o.Connections;
            Budget b = new Budget(12);
            int i = 0;

            Footprint f = b.Line(i++, "Receive and transmit buffers");
            Connections.MeasureBuffers(f, connections, o.MaxPacketSize, o.TxBufferSize, o.GrowBuffers);

            f = b.Line(i++, "Connection state");
            Connections.MeasureState(f, connections);

            f = b.Line(i++, "Sessions (ids, user names)");
            SessionTable.Measure(f, sessions, o.MaxClientIdLength, o.MaxUsernameLength);

            f = b.Line(i++, "Message pool (messages, queues, in-flight)");
            MessagePool.Measure(f, o.PoolMessages, o.PoolArenaBytes);
            Deliveries.Measure(f, o.PoolEntries, sessions);

            f = b.Line(i++, "Flow control (held publishers, stall clock)");
            Holds.Measure(f, connections);

            f = b.Line(i++, "Incoming QoS 2 ids");
            IncomingQos2.Measure(f, sessions, o.IncomingQos2PerSession);

            f = b.Line(i++, "Subscriptions");
            Subscriptions.Measure(f, o.MaxSubscriptions, o.SubscriptionBytes, sessions);

            f = b.Line(i++, "Retained messages");
            Retained.Measure(f, o.RetainedSlots, o.RetainedBytes);

            f = b.Line(i++, "Wills");
            Wills.Measure(f, connections, o.WillBytes);

            f = b.Line(i++, "Users and ACL");
            for (int l = 0; l < o.Listeners; l++)
            {
                Users.Measure(f, o.MaxUsers, o.UserBytes);
                Acl.Measure(f, o.MaxAclRules, o.AclBytes, o.MaxTopicLength);
            }

            f = b.Line(i++, "Engine, counters, scratch");
            BrokerEngine.MeasureSelf(f, o);
            Counters.Measure(f);

            f = b.Line(i++, "Embedding API (local subscriptions, hooks)");
            if (o.Embedded)
            {
                EmbeddedState.Measure(f, o);
            }

            for (int k = 0; k < i; k++)
            {
                b.Total.Add(b.Lines[k]);
            }

            return b;
        }

        /// <summary>
        /// The board store (Persistence/FlashStore) the board program attaches: not part of <see cref="For"/>, which is
        /// what the engine's constructor allocates, but within the same 48 KB on the board (docs/PERSISTENCE.md).
        /// </summary>
        public static Footprint BoardStore(BrokerOptions o)
        {
            Footprint f = new Footprint();
            FlashStore.Measure(f, o);
            return f;
        }

        /// <summary>A Markdown table of the lines (allocates strings: for tools and docs, not the device loop).</summary>
        public string Report()
        {
            string s = "| Store | Data bytes | Device bytes (est.) | Host bytes (x64) |\n|---|---:|---:|---:|\n";
            for (int i = 0; i < Lines.Length; i++)
            {
                s += "| " + Names[i] + " | " + Lines[i].DataBytes.ToString() + " | " + Lines[i].DeviceBytes.ToString() + " | "
                    + Lines[i].HostBytes.ToString() + " |\n";
            }

            s += "| **Total** | " + Total.DataBytes.ToString() + " | " + Total.DeviceBytes.ToString() + " | " + Total.HostBytes.ToString() + " |\n";
            return s;
        }

        private Footprint Line(int i, string name)
        {
            Names[i] = name;
            Lines[i] = new Footprint();
            return Lines[i];
        }
    }
}
