using System;
using System.Collections.Generic;
using System.IO;
using Broker.Host;
using Device.Broker;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A torn or damaged store never stops the broker: it starts with every committed group of records before the
    /// damage, and the warning names the file and the offset. Each group here is one retained PUBLISH (plus, in the
    /// first ones, a persistent session with a queued QoS 1 message), so what survived is counted exactly.
    /// </summary>
    public class JournalDamageTests
    {
        private const int Groups = 12;

        /// <summary>Writes Groups retained messages r/0..r/11 (one seam call each) and returns the journal's bytes and group ends.</summary>
        private static byte[] MakeJournal(string dir, out byte[] snapshot, out List<int> ends)
        {
            StoreHarness a = new StoreHarness(dir, FsyncMode.Never);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("r/#", 1);
            sub.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", true);
            int groupsBefore = GroupEnds(File.ReadAllBytes(Journal(dir))).Count;
            for (int i = 0; i < Groups; i++)
            {
                // QoS 1 retained: a RetainedSet and, for the offline session, a DeliveryAdded in one group.
                pub.Send(TestPackets.Publish("r/" + i, "v" + i, 1, (ushort)(i + 1), true, false));
            }

            a.Crash();
            byte[] journal = File.ReadAllBytes(Journal(dir));
            snapshot = File.ReadAllBytes(Path.Combine(dir, "mosquitto.db"));
            ends = GroupEnds(journal);
            // The session's two groups (CONNECT, SUBSCRIBE), then one per PUBLISH (its disconnect wrote nothing).
            Assert.Equal(groupsBefore + Groups, ends.Count);
            ends.RemoveRange(0, groupsBefore);
            return journal;
        }

        private static string Journal(string dir)
        {
            return Path.Combine(dir, "mosquitto.db.journal");
        }

        /// <summary>Offsets just past each Commit record.</summary>
        private static List<int> GroupEnds(byte[] b)
        {
            List<int> ends = new List<int>();
            int at = StoreFormat.HeaderLength;
            while (at + 8 <= b.Length)
            {
                int length = StoreFormat.GetInt32(b, at);
                if (b[at + 4] == RecordType.Commit)
                {
                    ends.Add(at + 8 + length);
                }

                at += 8 + length;
            }

            return ends;
        }

        /// <summary>Starts a broker on snapshot + journal and returns how many of r/0.. it restored (checking they are a prefix).</summary>
        private static int Restored(byte[] snapshot, byte[] journal, out List<string> warnings, out int queued)
        {
            using TempDir dir = new TempDir();
            File.WriteAllBytes(Path.Combine(dir.Path, "mosquitto.db"), snapshot);
            File.WriteAllBytes(Journal(dir.Path), journal);
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Never);
            warnings = b.Warnings;
            int n = 0;
            while (n < Groups && b.RetainedPayload("r/" + n) == "v" + n)
            {
                n++;
            }

            for (int i = n; i < Groups; i++)
            {
                Assert.Null(b.RetainedPayload("r/" + i));
            }

            int s = b.Engine.Sessions.Find(TestPackets.Bytes("sub"), 0, 3);
            queued = s < 0 ? -1 : b.Engine.QueuedFor(s);
            // It starts: a client gets in.
            b.Net.Connect("probe", true);
            b.Crash();
            return n;
        }

        [Fact]
        public void A_journal_cut_at_every_byte_of_its_last_group_keeps_every_group_before_it()
        {
            using TempDir dir = new TempDir();
            byte[] journal = MakeJournal(dir.Path, out byte[] snapshot, out List<int> ends);
            int lastStart = ends[Groups - 2];
            Assert.Equal(journal.Length, ends[Groups - 1]);
            for (int cut = lastStart; cut <= journal.Length; cut++)
            {
                int n = Restored(snapshot, journal.AsSpan(0, cut).ToArray(), out List<string> warnings, out int queued);
                bool whole = cut == journal.Length;
                Assert.Equal(whole ? Groups : Groups - 1, n);
                Assert.Equal(n, queued);
                if (whole || cut == lastStart)
                {
                    Assert.Empty(warnings);
                }
                else
                {
                    string w = Assert.Single(warnings);
                    Assert.Contains(Journal(dir.Path).Replace(dir.Path, ""), w);
                    Assert.Contains("offset " + lastStart, w);
                }
            }
        }

        [Fact]
        public void A_journal_cut_anywhere_keeps_the_groups_that_end_before_the_cut()
        {
            using TempDir dir = new TempDir();
            byte[] journal = MakeJournal(dir.Path, out byte[] snapshot, out List<int> ends);
            Random random = new Random(1301);
            for (int k = 0; k < 60; k++)
            {
                int cut = random.Next(ends[0] - 1, journal.Length);
                int expected = ends.FindAll(e => e <= cut).Count;
                Assert.Equal(expected, Restored(snapshot, journal.AsSpan(0, cut).ToArray(), out _, out _));
            }
        }

        [Fact]
        public void A_flipped_byte_anywhere_in_the_journal_keeps_every_group_before_the_damaged_one()
        {
            using TempDir dir = new TempDir();
            byte[] journal = MakeJournal(dir.Path, out byte[] snapshot, out List<int> ends);
            Random random = new Random(13);
            int first = ends[0] - (ends[1] - ends[0]);
            for (int k = 0; k < 150; k++)
            {
                // Mostly inside the retained groups, sometimes in the header or the session's groups.
                int at = k % 10 == 0 ? random.Next(0, first) : random.Next(first, journal.Length);
                byte[] damaged = (byte[])journal.Clone();
                damaged[at] ^= (byte)(1 << random.Next(8));
                int expected = at < StoreFormat.HeaderLength ? 0 : ends.FindAll(e => e <= at).Count;
                int n = Restored(snapshot, damaged, out List<string> warnings, out _);
                Assert.Equal(expected, n);
                string w = Assert.Single(warnings);
                Assert.Contains("mosquitto.db.journal: offset ", w);
            }
        }

        [Fact]
        public void A_damaged_snapshot_keeps_its_records_before_the_damage_and_the_broker_starts()
        {
            using TempDir dir = new TempDir();
            MakeJournal(dir.Path, out _, out _);
            // Fold everything into a snapshot, then damage its tail.
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Never);
            a.Store.Close(a.Net.Now);
            string path = Path.Combine(dir.Path, "mosquitto.db");
            byte[] snapshot = File.ReadAllBytes(path);
            File.WriteAllBytes(path, snapshot.AsSpan(0, snapshot.Length - 3).ToArray());
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Never);
            string w = Assert.Single(b.Warnings);
            Assert.Contains(path + ": offset ", w);
            // Only the final Commit record was lost: every message is there.
            Assert.Equal(Groups, b.Engine.Retained.Count);
            b.Crash();

            File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
            File.Delete(Journal(dir.Path));
            StoreHarness c = new StoreHarness(dir.Path, FsyncMode.Never);
            Assert.Contains("offset 0", Assert.Single(c.Warnings));
            Assert.Equal(0, c.Engine.Retained.Count);
            c.Net.Connect("probe", true);
            c.Crash();
        }
    }
}
