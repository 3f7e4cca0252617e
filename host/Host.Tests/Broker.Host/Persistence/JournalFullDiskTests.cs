using System.Linq;
using Broker.Host;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A journal record that cannot be made durable (a full disk, an I/O error) holds its PUBACK/PUBREC back: the broker
    /// keeps running, sends nothing until the record is written (BrokerEngine.StoreBehind), logs the episode once when
    /// it starts and once when it ends, and then acks; after a crash the held messages are there exactly once
    /// (docs/PERSISTENCE.md, "A full disk"). The faults are injected through FaultyFiles; FullTmpfsTests does the same
    /// on a real full file system.
    /// </summary>
    public class JournalFullDiskTests
    {
        [Theory]
        [InlineData(FsyncMode.Always, 0)]
        [InlineData(FsyncMode.Always, 7)]
        [InlineData(FsyncMode.Batch, 3)]
        [InlineData(FsyncMode.Never, 0)]
        public void A_publish_whose_record_cannot_be_written_is_acknowledged_only_once_it_is(FsyncMode fsync, int tornBytes)
        {
            using TempDir dir = new TempDir();
            FaultyFiles files = new FaultyFiles { TornBytes = tornBytes };
            StoreHarness a = new StoreHarness(dir.Path, fsync, TestOptions.Device(), files);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t/#", 2);
            sub.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", false);

            files.Full = true;
            pub.Send(TestPackets.Publish("t/1", "held1", 1, 1));
            pub.Send(TestPackets.Publish("t/2", "held2", 2, 2));
            pub.Send(TestPackets.Publish("r", "kept", 1, 3, true, false));
            a.Net.Advance(100);
            a.Net.Advance(100);
            pub.ExpectNothing();
            Assert.True(a.Engine.StoreBehind);
            Assert.True(a.Store.Failing);
            Assert.True(files.Failures >= 3, files.Failures + " failed writes");
            // Once per episode, not per message or per retry.
            Assert.Single(a.Warnings);
            Assert.Contains("write failed (No space left on device", a.Warnings[0]);
            Assert.Contains("holding back every PUBACK/PUBREC", a.Warnings[0]);

            files.Full = false;
            a.Net.Advance(100);
            Assert.False(a.Engine.StoreBehind);
            Assert.Equal(1, pub.ExpectAck(PacketType.Puback));
            Assert.Equal(2, pub.ExpectAck(PacketType.Pubrec));
            Assert.Equal(3, pub.ExpectAck(PacketType.Puback));
            Assert.Equal(2, a.Warnings.Count);
            Assert.Contains("written again", a.Warnings[1]);
            Assert.Equal(1, a.Store.FailureEpisodes);
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, fsync);
            Assert.Empty(b.Warnings);
            Assert.Equal("kept", b.RetainedPayload("r"));
            FakeClient back = b.Net.Connect("sub", false);
            back.ExpectPublish("t/1", "held1", 1);
            back.ExpectPublish("t/2", "held2", 2);
            back.ExpectNothing();
            b.Crash();
        }

        [Fact]
        public void A_failed_fsync_holds_the_ack_and_writes_the_group_again_so_nothing_is_doubled()
        {
            using TempDir dir = new TempDir();
            FaultyFiles files = new FaultyFiles();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t", 2);
            sub.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", false);

            files.SyncFails = true;
            pub.Send(TestPackets.Publish("t", "once", 2, 5));
            a.Net.Advance(100);
            a.Net.Advance(100);
            pub.ExpectNothing();
            Assert.Single(a.Warnings);
            Assert.Contains("Input/output error", a.Warnings[0]);

            files.SyncFails = false;
            a.Net.Advance(100);
            Assert.Equal(5, pub.ExpectAck(PacketType.Pubrec));
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(b.Warnings);
            Assert.Single(b.Read.Entries);
            FakeClient back = b.Net.Connect("sub", false);
            back.ExpectPublish("t", "once", 2);
            back.ExpectNothing();
            b.Crash();
        }

        [Fact]
        public void Subscribers_held_without_output_are_not_cut_as_stalled_and_get_their_messages_after()
        {
            // Nothing is sent while the store is behind: that is not the subscriber's stall (BackPressure's CutStalled).
            using TempDir dir = new TempDir();
            FaultyFiles files = new FaultyFiles();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t", 1);
            FakeClient pub = a.Net.Connect("pub", true);
            files.Full = true;
            for (int i = 1; i <= 20; i++)
            {
                pub.Send(TestPackets.Publish("t", "m" + i, 1, (ushort)i));
            }

            for (int k = 0; k < 200; k++)
            {
                a.Net.Advance(100);
            }

            sub.ExpectNothing();
            pub.ExpectNothing();
            Assert.False(sub.IsClosed);
            files.Full = false;
            a.Net.Advance(100);
            for (int i = 1; i <= 20; i++)
            {
                ushort id = sub.ExpectPublish("t", "m" + i, 1).PacketId;
                sub.Send(TestPackets.Ack(PacketType.Puback, id));
            }

            Assert.Equal(Enumerable.Range(1, 20), Enumerable.Range(1, 20).Select(_ => (int)pub.ExpectAck(PacketType.Puback)));
            a.Crash();
        }

        [Fact]
        public void A_failed_compaction_leaves_the_journal_writing_and_the_acks_going()
        {
            using TempDir dir = new TempDir();
            FaultyFiles files = new FaultyFiles();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            FakeClient pub = a.Net.Connect("pub", false);
            pub.Send(TestPackets.Publish("r/1", "before", 1, 1, true, false));
            Assert.Equal(1, pub.ExpectAck(PacketType.Puback));
            a.Store.MaxJournalBytes = 0;
            files.Full = true;
            // The compaction is tried at this Commit, after the group went out: the full disk is injected only for it.
            files.FailOnlySnapshots = true;
            pub.Send(TestPackets.Publish("r/2", "during", 1, 2, true, false));
            Assert.Equal(2, pub.ExpectAck(PacketType.Puback));
            Assert.False(a.Engine.StoreBehind);
            Assert.Single(a.Warnings);
            Assert.Contains("compaction failed", a.Warnings[0]);
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Equal("before", b.RetainedPayload("r/1"));
            Assert.Equal("during", b.RetainedPayload("r/2"));
            b.Crash();
        }

        [Fact]
        public void A_full_disk_at_start_keeps_the_old_files_and_holds_every_ack_until_a_snapshot_is_written()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient pub = a.Net.Connect("pub", false);
            pub.Send(TestPackets.Publish("r", "old", 1, 1, true, false));
            Assert.Equal(1, pub.ExpectAck(PacketType.Puback));
            a.Crash();

            FaultyFiles files = new FaultyFiles { Full = true };
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            Assert.Equal("old", b.RetainedPayload("r"));
            Assert.Single(b.Warnings);
            FakeClient late = b.Net.Open();
            late.Send(TestPackets.Connect(new ConnectSpec("late")));
            b.Net.Advance(100);
            late.ExpectNothing();
            b.Crash();

            // Still there: the failed start touched neither file.
            StoreHarness c = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            Assert.Equal("old", c.RetainedPayload("r"));
            files.Full = false;
            c.Net.Advance(100);
            FakeClient next = c.Net.Connect("next", false);
            next.Send(TestPackets.Publish("r", "new", 1, 1, true, false));
            Assert.Equal(1, next.ExpectAck(PacketType.Puback));
            c.Crash();

            StoreHarness d = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(d.Warnings);
            Assert.Equal("new", d.RetainedPayload("r"));
            d.Crash();
        }
    
        [Fact]
        public void Each_compaction_syncs_the_folder_after_the_rename_and_after_the_new_journal()
        {
            // rename(2) is durable only once its folder is fsynced (docs/PERSISTENCE.md, "PC files").
            using TempDir dir = new TempDir();
            FaultyFiles files = new FaultyFiles();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always, TestOptions.Device(), files);
            Assert.Equal(System.OperatingSystem.IsLinux() ? 2 : 0, files.DirectorySyncs);
            a.Store.Compact(a.Net.Now);
            Assert.Equal(System.OperatingSystem.IsLinux() ? 4 : 0, files.DirectorySyncs);
            a.Crash();
        }
    }
}
