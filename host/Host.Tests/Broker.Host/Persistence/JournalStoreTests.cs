using System.IO;
using Broker.Host;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>The PC store across restarts (real files, the engine behind the in-memory transport).</summary>
    public class JournalStoreTests
    {
        [Fact]
        public void A_restart_after_a_crash_restores_retained_sessions_subscriptions_and_queued_messages()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t/#", 2);
            sub.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r/1", "keep", 1, 1, true, false));
            Assert.Equal(1, pub.ExpectAck(PacketType.Puback));
            pub.Send(TestPackets.Publish("t/a", "m1", 1, 2));
            Assert.Equal(2, pub.ExpectAck(PacketType.Puback));
            pub.Send(TestPackets.Publish("t/b", "m2", 2, 3));
            Assert.Equal(3, pub.ExpectAck(PacketType.Pubrec));
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(b.Warnings);
            Assert.Equal("keep", b.RetainedPayload("r/1"));
            FakeClient back = b.Net.Connect("sub", false);
            back.ExpectPublish("t/a", "m1", 1);
            back.ExpectPublish("t/b", "m2", 2);
            back.ExpectNothing();
            b.Crash();
        }

        [Fact]
        public void An_inbound_qos2_id_survives_a_crash_so_the_resent_publish_is_not_routed_twice()
        {
            // [MQTT-4.3.3-2]: the id stays known until PUBREL; a resend after the restart is answered, not routed.
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t", 2);
            sub.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", false);
            pub.Send(TestPackets.Publish("t", "once", 2, 9));
            Assert.Equal(9, pub.ExpectAck(PacketType.Pubrec));
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient again = b.Net.Connect("pub", false);
            again.Send(TestPackets.Publish("t", "once", 2, 9, false, true));
            Assert.Equal(9, again.ExpectAck(PacketType.Pubrec));
            again.Send(TestPackets.Ack(PacketType.Pubrel, 9));
            Assert.Equal(9, again.ExpectAck(PacketType.Pubcomp));
            FakeClient back = b.Net.Connect("sub", false);
            back.ExpectPublish("t", "once", 2);
            back.ExpectNothing();
            b.Crash();
        }

        [Fact]
        public void In_flight_deliveries_come_back_in_their_state_and_are_resent_on_reconnect()
        {
            // [MQTT-4.4.0-1]: unacknowledged PUBLISH (DUP set) and PUBREL are resent after the session resumes.
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("q/#", 2);
            FakeClient pub = a.Net.Connect("pub", true);
            pub.Send(TestPackets.Publish("q/1", "one", 1, 1));
            pub.Send(TestPackets.Publish("q/2", "two", 2, 2));
            ushort first = sub.ExpectPublish("q/1", "one", 1).PacketId;
            ushort second = sub.ExpectPublish("q/2", "two", 2).PacketId;
            sub.Send(TestPackets.Ack(PacketType.Pubrec, second));
            Assert.Equal(second, sub.ExpectAck(PacketType.Pubrel));
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient back = b.Net.Connect("sub", false);
            PublishView resent = back.ExpectPublish("q/1", "one", 1);
            Assert.True(resent.Dup);
            Assert.Equal(first, resent.PacketId);
            Assert.Equal(second, back.ExpectAck(PacketType.Pubrel));
            back.Send(TestPackets.Ack(PacketType.Puback, first));
            back.Send(TestPackets.Ack(PacketType.Pubcomp, second));
            back.ExpectNothing();
            b.Crash();

            // Acknowledged after the restart: gone after the next one.
            StoreHarness c = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(c.Read.Entries);
            c.Crash();
        }

        [Fact]
        public void A_delivery_waiting_for_pubcomp_survives_the_snapshot_written_at_the_next_start()
        {
            // The compaction at start writes a PUBREL-sent delivery without its message (the copy goes at PUBREC), a
            // record of 19 bytes after its type. Read back, it must keep its place and everything after it: the
            // session, its subscriptions, its other deliveries (found by BridgeKillTests: the snapshot reader refused the
            // record as damage and dropped the rest of the file, so a killed upstream lost its subscribers).
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("q/#", 2);
            FakeClient pub = a.Net.Connect("pub", true);
            pub.Send(TestPackets.Publish("q/2", "two", 2, 2));
            pub.Send(TestPackets.Publish("q/1", "one", 1, 1));
            ushort second = sub.ExpectPublish("q/2", "two", 2).PacketId;
            ushort first = sub.ExpectPublish("q/1", "one", 1).PacketId;
            sub.Send(TestPackets.Ack(PacketType.Pubrec, second));
            Assert.Equal(second, sub.ExpectAck(PacketType.Pubrel));
            a.Crash();

            // Starts from the journal, then compacts: the snapshot now holds the PUBREL-sent delivery.
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(b.Warnings);
            b.Crash();

            StoreHarness c = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(c.Warnings);
            FakeClient back = c.Net.Connect("sub", false);
            Assert.Equal(second, back.ExpectAck(PacketType.Pubrel));
            PublishView resent = back.ExpectPublish("q/1", "one", 1);
            Assert.Equal(first, resent.PacketId);
            FakeClient again = c.Net.Connect("pub", true);
            again.Send(TestPackets.Publish("q/3", "three", 1, 3));
            Assert.Equal(3, again.ExpectAck(PacketType.Puback));
            // The subscription after the record came back too.
            back.ExpectPublish("q/3", "three", 1);
            c.Crash();
        }

        [Fact]
        public void A_clean_session_and_qos0_leave_nothing_in_the_store()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            FakeClient sub = a.Net.Connect("sub", true);
            sub.Subscribe("t", 1);
            FakeClient keep = a.Net.Connect("keep", false);
            keep.Subscribe("t", 0);
            keep.DropNetwork();
            FakeClient pub = a.Net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "x", 1, 1));
            sub.ExpectPublish("t", "x", 1);
            a.Crash();

            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Single(b.Read.Sessions);
            Assert.Empty(b.Read.Entries);
            b.Crash();
        }

        [Fact]
        public void A_clean_start_of_a_saved_session_removes_it_from_the_store()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Always);
            a.Net.Connect("s", false).Subscribe("t", 1);
            a.Crash();
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Single(b.Read.Sessions);
            FakeClient clean = b.Net.Connect("s", true);
            Assert.False(clean.Unread > 0);
            b.Crash();
            StoreHarness c = new StoreHarness(dir.Path, FsyncMode.Always);
            Assert.Empty(c.Read.Sessions);
            c.Crash();
        }

        [Fact]
        public void A_clean_stop_folds_the_journal_into_the_snapshot()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Never);
            FakeClient pub = a.Net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r", "v", 0, 0, true, false));
            Assert.True(a.Store.JournalBytes > StoreFormat.HeaderLength);
            a.Store.Close(a.Net.Now);
            Assert.Equal(StoreFormat.HeaderLength, new FileInfo(Path.Combine(dir.Path, "mosquitto.db.journal")).Length);
            StoreHarness b = new StoreHarness(dir.Path, FsyncMode.Never);
            Assert.Equal("v", b.RetainedPayload("r"));
            b.Crash();
        }

        [Fact]
        public void Routing_a_saved_message_allocates_nothing_with_the_journal_on()
        {
            using TempDir dir = new TempDir();
            StoreHarness a = new StoreHarness(dir.Path, FsyncMode.Never);
            FakeClient sub = a.Net.Connect("sub", false);
            sub.Subscribe("t", 1);
            FakeClient pub = a.Net.Connect("pub", true);
            byte[] publish = TestPackets.Publish("t", "payload", 1, 5);
            byte[] puback = TestPackets.Ack(PacketType.Puback, 1);
            PublishView view = new PublishView();
            long routed = 0;
            for (int round = 0; round < 2; round++)
            {
                long before = System.GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 2000; i++)
                {
                    pub.Send(publish);
                    Assert.True(pub.TryNext(out FixedHeader ack, out _) && ack.Type == PacketType.Puback);
                    Assert.True(sub.TryNext(out FixedHeader h, out int at) && h.Type == PacketType.Publish);
                    PublishPacket.Decode(sub.Inbox, at, h, view);
                    puback[2] = (byte)(view.PacketId >> 8);
                    puback[3] = (byte)view.PacketId;
                    sub.Send(puback);
                }

                routed = System.GC.GetAllocatedBytesForCurrentThread() - before;
            }

            // Each message wrote its records (DeliveryAdded, DeliveryRemoved, Commit) into the reused buffer and the file.
            Assert.True(a.Store.JournalBytes > 2000 * 3 * 9);
            Assert.Equal(0, routed);
            a.Crash();
        }
    }
}
