using System;
using System.IO;
using System.Reflection;
using Device.Broker;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>The board store through the same interface on the PC, over two files, with power cuts at every write step.</summary>
    public class FlashStoreTests
    {
        private const int Interval = 60000;

        private static FlashStore Boot(FakeNet net, IStoreMedium medium)
        {
            FlashStore store = new FlashStore(medium, net.Engine.Options, Interval);
            store.Open(net.Engine, net.Now);
            return store;
        }

        /// <summary>A retained message, an offline persistent session with a subscription and one queued QoS 1 message per step.</summary>
        private static void Step(FakeNet net, int i)
        {
            FakeClient pub = net.Connect("pub" + i, true);
            pub.Send(TestPackets.Publish("r/" + i, "v" + i, 1, 1, true, false));
            pub.ExpectAck(PacketType.Puback);
            pub.Send(TestPackets.Disconnect());
        }

        private static int RetainedPrefix(BrokerEngine e)
        {
            int n = 0;
            while (e.Retained.Find(TestPackets.Bytes("r/" + n), 0, ("r/" + n).Length) >= 0)
            {
                n++;
            }

            return n;
        }

        [Fact]
        public void A_restart_restores_retained_sessions_subscriptions_and_queued_messages()
        {
            using TempDir dir = new TempDir();
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, new CutMedium(dir.Path));
            FakeClient sub = a.Connect("sub", false);
            sub.Subscribe("r/#", 2);
            sub.DropNetwork();
            Step(a, 0);
            Step(a, 1);
            Assert.Equal(0, store.ImagesWritten);
            a.Advance(Interval);
            Assert.Equal(1, store.ImagesWritten);

            FakeNet b = new FakeNet(TestOptions.Device());
            FlashStore again = Boot(b, new CutMedium(dir.Path));
            Assert.Equal(0, again.Dropped);
            Assert.Equal(2, RetainedPrefix(b.Engine));
            FakeClient back = b.Connect("sub", false);
            back.ExpectPublish("r/0", "v0", 1);
            back.ExpectPublish("r/1", "v1", 1);
            back.ExpectNothing();
        }

        [Fact]
        public void Changes_within_the_interval_make_one_write()
        {
            using TempDir dir = new TempDir();
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, new CutMedium(dir.Path));
            for (int i = 0; i < 10; i++)
            {
                Step(a, i);
                a.Advance(Interval / 20);
            }

            // 10 changes over half the interval: nothing yet, then one image for all of them.
            Assert.Equal(0, store.ImagesWritten);
            a.Advance(Interval);
            Assert.Equal(1, store.ImagesWritten);
            a.Advance(Interval);
            Assert.Equal(1, store.ImagesWritten);
        }

        [Fact]
        public void A_power_cut_after_any_write_step_keeps_the_previous_image()
        {
            using TempDir dir = new TempDir();
            // The previous image: r/0..r/2.
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore first = Boot(a, new CutMedium(dir.Path));
            for (int i = 0; i < 3; i++)
            {
                Step(a, i);
            }

            a.Advance(Interval);
            Assert.Equal(1, first.ImagesWritten);
            string saved = Path.Combine(dir.Path, "saved");
            Directory.CreateDirectory(saved);
            foreach (string f in Directory.GetFiles(dir.Path))
            {
                File.Copy(f, Path.Combine(saved, Path.GetFileName(f)));
            }

            // How many steps a whole second image takes (r/0..r/5).
            int steps = SecondImage(saved, -1, false, out int restored);
            Assert.Equal(6, restored);
            for (int cut = 0; cut < steps; cut++)
            {
                foreach (bool tear in new[] { false, true })
                {
                    SecondImage(saved, cut, tear, out int n);
                    // A cut at End (the flush) can find every byte on the medium already: then the new image is whole and valid.
                    Assert.True(n == 3 || (cut == steps - 1 && n == 6), "cut after " + cut + " of " + steps + " steps" + (tear ? " (torn)" : "") + ": restored " + n);
                }
            }
        }

        /// <summary>From the saved first image: boot, add r/3..r/5, write an image with the cut, then boot again: how many r/ came back.</summary>
        private static int SecondImage(string saved, int cut, bool tear, out int restored)
        {
            using TempDir dir = new TempDir();
            foreach (string f in Directory.GetFiles(saved))
            {
                File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)));
            }

            FakeNet a = new FakeNet(TestOptions.Device());
            CutMedium medium = new CutMedium(dir.Path);
            FlashStore store = Boot(a, medium);
            Assert.Equal(3, RetainedPrefix(a.Engine));
            for (int i = 3; i < 6; i++)
            {
                Step(a, i);
            }

            medium.Steps = 0;
            medium.CutAfter = cut;
            medium.TearLastWrite = tear;
            store.Save(a.Now);
            int steps = medium.Steps;

            FakeNet b = new FakeNet(TestOptions.Device());
            Boot(b, new CutMedium(dir.Path));
            restored = RetainedPrefix(b.Engine);
            b.Connect("probe", true);
            return steps;
        }

        [Fact]
        public void Routing_and_saving_with_the_board_store_allocate_nothing_and_make_no_struct()
        {
            foreach (MethodInfo m in typeof(FlashStore).GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly))
            {
                IlWalk.Result r = IlWalk.Walk(m, typeof(BrokerEngine).Assembly, typeof(Framing).Assembly);
                Assert.Empty(r.ValueTypeSites);
            }

            FakeNet net = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(net, new MemoryMedium());
            FakeClient sub = net.Connect("sub", false);
            sub.Subscribe("t", 1);
            FakeClient pub = net.Connect("pub", true);
            byte[] publish = TestPackets.Publish("t", "payload", 1, 5);
            byte[] puback = TestPackets.Ack(PacketType.Puback, 1);
            PublishView view = new PublishView();
            // Round 0 warms up; of rounds 1 and 2 the quieter counts: a cost per message or save shows in both, a one-off
            // first-use allocation (tiering, on a loaded machine) in one only (as FloodHalves does for the floods).
            long quietRouted = long.MaxValue;
            long quietSaved = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 2000; i++)
                {
                    pub.Send(publish);
                    Assert.True(pub.TryNext(out FixedHeader ack, out _) && ack.Type == PacketType.Puback);
                    Assert.True(sub.TryNext(out FixedHeader h, out int at) && h.Type == PacketType.Publish);
                    PublishPacket.Decode(sub.Inbox, at, h, view);
                    ushort id = view.PacketId;
                    puback[2] = (byte)(id >> 8);
                    puback[3] = (byte)id;
                    sub.Send(puback);
                }

                long routed = GC.GetAllocatedBytesForCurrentThread() - before;
                before = GC.GetAllocatedBytesForCurrentThread();
                Assert.True(store.Save(net.Now));
                long saved = GC.GetAllocatedBytesForCurrentThread() - before;
                if (round > 0)
                {
                    quietRouted = Math.Min(quietRouted, routed);
                    quietSaved = Math.Min(quietSaved, saved);
                }
            }

            Assert.Equal(0, quietRouted);
            Assert.Equal(0, quietSaved);
        }

        [Fact]
        public void Budget_counts_the_board_store_and_the_device_profile_stays_within_48_KB()
        {
            BrokerOptions o = BrokerOptions.Device();
            Footprint store = Budget.BoardStore(o);
            long total = Budget.For(o).Total.DeviceBytes + store.DeviceBytes;
            Assert.True(store.DeviceBytes > 0);
            Assert.True(total <= 48 * 1024, "device estimate with the board store: " + total);

            // The Measure matches the fields the class has.
            int fields = typeof(FlashStore).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Length;
            Assert.Equal(fields, store.Fields);
        }
    }
}
