using System.Collections.Generic;
using Broker.Host;
using Device.Broker;
using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// One broker run over a store folder: the engine behind the in-memory transport (FakeNet) with a JournalStore
    /// opened into it, as Broker.Host does. Crash() leaves the files as a killed process would (no compaction, no close).
    /// </summary>
    public sealed class StoreHarness
    {
        public readonly FakeNet Net;
        public readonly JournalStore Store;
        public readonly List<string> Warnings = new List<string>();
        public readonly StoreModel Read;

        public StoreHarness(string dir, FsyncMode fsync)
            : this(dir, fsync, TestOptions.Device())
        {
        }

        public StoreHarness(string dir, FsyncMode fsync, BrokerOptions options)
            : this(dir, fsync, options, new DurableFiles())
        {
        }

        /// <summary>With the files opened and synced through <paramref name="files"/> (a fault-injecting one).</summary>
        public StoreHarness(string dir, FsyncMode fsync, BrokerOptions options, DurableFiles files)
        {
            PersistenceSettings settings = new PersistenceSettings { Enabled = true, Location = dir, Fsync = fsync, AutosaveIntervalSeconds = 0 };
            Net = new FakeNet(options);
            Store = new JournalStore(settings, Warnings.Add);
            Store.Files = files;
            Read = Store.Open(Net.Engine, Net.Now);
        }

        public BrokerEngine Engine { get { return Net.Engine; } }

        public void Crash()
        {
            Store.Dispose();
        }

        /// <summary>The payload of the retained message on this topic, or null.</summary>
        public string RetainedPayload(string topic)
        {
            Retained r = Engine.Retained;
            byte[] t = TestPackets.Bytes(topic);
            int i = r.Find(t, 0, t.Length);
            return i < 0 ? null : Device.Protocol.Utf8.Decode(r.Data, r.PayloadOffset(i), r.PayloadLength(i));
        }
    }
}
