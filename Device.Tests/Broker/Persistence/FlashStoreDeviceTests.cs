using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// The board store through IStoreMedium over memory (CutMemoryMedium), so the same tests run on the virtual device
    /// and, through the adapter, on the PC (host/Host.Tests/Broker/Persistence/FlashStoreTests runs it over real files):
    /// restart, one image per interval, a power cut after every write step, a damaged newer image.
    /// </summary>
    [TestClass]
    public class FlashStoreDeviceTests
    {
        private const int Interval = 60000;

        private static FlashStore Boot(FakeNet net, IStoreMedium medium)
        {
            FlashStore store = new FlashStore(medium, net.Engine.Options, Interval);
            store.Open(net.Engine, net.Now);
            return store;
        }

        private static void Retain(FakeNet net, int i)
        {
            FakeClient pub = net.Connect("pub" + i.ToString(), true);
            pub.Send(TestPackets.Publish("r/" + i.ToString(), "v" + i.ToString(), 1, 1, true, false));
            Assert.AreEqual(1, (int)pub.ExpectAck(PacketType.Puback), "PUBACK id");
            pub.Send(TestPackets.Disconnect());
        }

        /// <summary>How many of r/0, r/1, ... the engine holds, counting from r/0.</summary>
        private static int RetainedPrefix(BrokerEngine e)
        {
            int n = 0;
            while (true)
            {
                string topic = "r/" + n.ToString();
                byte[] t = TestPackets.Bytes(topic);
                if (e.Retained.Find(t, 0, t.Length) < 0)
                {
                    return n;
                }

                n++;
            }
        }

        [TestMethod]
        public void A_restart_restores_retained_messages_and_an_offline_session_with_its_queue()
        {
            CutMemoryMedium medium = new CutMemoryMedium();
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, medium);
            FakeClient sub = a.Connect("sub", false);
            sub.Subscribe("r/#", 2);
            sub.DropNetwork();
            Retain(a, 0);
            Retain(a, 1);
            Assert.AreEqual(0, store.ImagesWritten, "an image before the interval");
            a.Advance(Interval);
            Assert.AreEqual(1, store.ImagesWritten, "images after the interval");

            FakeNet b = new FakeNet(TestOptions.Device());
            FlashStore again = Boot(b, medium);
            Assert.AreEqual(0, again.Dropped, "records dropped");
            Assert.AreEqual(2, RetainedPrefix(b.Engine), "retained restored");
            FakeClient back = b.Connect("sub", false);
            back.ExpectPublish("r/0", "v0", 1);
            back.ExpectPublish("r/1", "v1", 1);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Changes_within_the_interval_make_one_image()
        {
            CutMemoryMedium medium = new CutMemoryMedium();
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, medium);
            for (int i = 0; i < 10; i++)
            {
                Retain(a, i);
                a.Advance(Interval / 20);
            }

            Assert.AreEqual(0, store.ImagesWritten, "images within the interval");
            a.Advance(Interval);
            Assert.AreEqual(1, store.ImagesWritten, "images after it");
            a.Advance(Interval);
            Assert.AreEqual(1, store.ImagesWritten, "images without a change");
        }

        [TestMethod]
        public void A_power_cut_after_every_write_step_keeps_the_previous_image()
        {
            // The previous image: r/0..r/2.
            CutMemoryMedium saved = new CutMemoryMedium();
            FakeNet a = new FakeNet(TestOptions.Device());
            Boot(a, saved);
            for (int i = 0; i < 3; i++)
            {
                Retain(a, i);
            }

            a.Advance(Interval);
            int restored;
            int steps = SecondImage(saved, -1, false, out restored);
            Assert.AreEqual(6, restored, "a whole second image");
            Assert.IsTrue(steps > 3, "write steps of an image: " + steps.ToString());
            for (int cut = 0; cut < steps; cut++)
            {
                for (int tear = 0; tear < 2; tear++)
                {
                    SecondImage(saved, cut, tear == 1, out restored);
                    // A cut at End can find every byte written already: then the new image is whole and valid.
                    Assert.IsTrue(restored == 3 || (cut == steps - 1 && restored == 6),
                        "cut after " + cut.ToString() + " of " + steps.ToString() + " steps" + (tear == 1 ? " (torn)" : "") + ": restored " + restored.ToString());
                }
            }
        }

        /// <summary>From the saved first image: boot, add r/3..r/5, write an image with the cut, boot again: how many r/ came back.</summary>
        private static int SecondImage(CutMemoryMedium saved, int cut, bool tear, out int restored)
        {
            CutMemoryMedium medium = new CutMemoryMedium();
            medium.CopyFrom(saved);
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, medium);
            Assert.AreEqual(3, RetainedPrefix(a.Engine), "the first image");
            for (int i = 3; i < 6; i++)
            {
                Retain(a, i);
            }

            medium.Steps = 0;
            medium.CutAfter = cut;
            medium.TearLastWrite = tear;
            store.Save(a.Now);
            int steps = medium.Steps;
            medium.CutAfter = -1;

            FakeNet b = new FakeNet(TestOptions.Device());
            Boot(b, medium);
            restored = RetainedPrefix(b.Engine);
            // The restored engine serves.
            b.Connect("probe", true);
            return steps;
        }

        [TestMethod]
        public void A_damaged_newer_image_falls_back_to_the_older_one_and_says_where()
        {
            CutMemoryMedium medium = new CutMemoryMedium();
            FakeNet a = new FakeNet(TestOptions.Device());
            FlashStore store = Boot(a, medium);
            Retain(a, 0);
            a.Advance(Interval);
            Retain(a, 1);
            a.Advance(Interval);
            Assert.AreEqual(2, store.ImagesWritten, "two images");
            int newer = store.Current;
            medium.Flip(newer, medium.Length(newer) / 2);

            FakeNet b = new FakeNet(TestOptions.Device());
            FlashStore again = Boot(b, medium);
            Assert.AreEqual(1 - newer, again.Current, "the older segment is restored");
            Assert.AreEqual(1, RetainedPrefix(b.Engine), "the older image's retained");
            Assert.IsTrue(again.DamageOffset >= 0, "the damage is reported");
        }
    }
}
