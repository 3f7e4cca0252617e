using System.IO;
using Broker.Host;

namespace Host.Tests
{
    /// <summary>
    /// The store's files with faults on demand, as a full disk shows them: while <see cref="Full"/>, a write to the
    /// journal or a snapshot throws IOException (ENOSPC's message) after writing <see cref="TornBytes"/> of it (a short
    /// write); while <see cref="SyncFails"/>, fsync throws (EIO). Every failure is counted.
    /// </summary>
    public sealed class FaultyFiles : DurableFiles
    {
        public bool Full;
        public bool SyncFails;
        public int TornBytes;

        /// <summary>Only the snapshot's temporary file is full (a compaction fails, the journal does not).</summary>
        public bool FailOnlySnapshots;
        public int Failures;

        public override Stream Open(string path)
        {
            return new FaultyStream(this, (FileStream)base.Open(path));
        }

        public override void Sync(Stream s)
        {
            if (SyncFails)
            {
                Failures++;
                throw new IOException("Input/output error");
            }

            base.Sync(((FaultyStream)s).Inner);
        }

        internal void Written(FaultyStream s, byte[] buffer, int offset, int count)
        {
            if (Full && (!FailOnlySnapshots || s.Inner.Name.EndsWith(".tmp", System.StringComparison.Ordinal)))
            {
                Failures++;
                int part = TornBytes < count ? TornBytes : count;
                s.Inner.Write(buffer, offset, part);
                throw new IOException("No space left on device : '" + s.Inner.Name + "'");
            }

            s.Inner.Write(buffer, offset, count);
        }
    }
}
