using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class ByteArenaTests
    {
        [TestMethod]
        public void Compaction_keeps_every_record_and_its_handle()
        {
            ByteArena a = new ByteArena(20, 5);
            int h0 = Fill(a, 5, 10);
            int h1 = Fill(a, 5, 20);
            int h2 = Fill(a, 5, 30);
            a.Free(h1);
            Assert.IsFalse(a.CanAlloc(11));
            Assert.IsTrue(a.CanAlloc(10));
            int h3 = Fill(a, 10, 40);
            Assert.AreEqual(20, a.Used);
            Check(a, h0, 5, 10);
            Check(a, h2, 5, 30);
            Check(a, h3, 10, 40);
            Assert.AreEqual(-1, a.Alloc(1), "full");
        }

        [TestMethod]
        public void Freeing_the_last_record_gives_its_bytes_back_without_compaction()
        {
            ByteArena a = new ByteArena(10, 3);
            int h0 = Fill(a, 4, 1);
            int h1 = Fill(a, 6, 2);
            a.Free(h1);
            int h2 = Fill(a, 6, 3);
            Assert.AreEqual(4, a.Offset(h2));
            Check(a, h0, 4, 1);
            Assert.AreEqual(-1, a.Alloc(1));
        }

        [TestMethod]
        public void Handles_run_out_before_bytes_when_records_are_many_and_small()
        {
            ByteArena a = new ByteArena(100, 2);
            Fill(a, 1, 1);
            Fill(a, 1, 2);
            Assert.IsFalse(a.CanAlloc(1));
            Assert.AreEqual(-1, a.Alloc(1));
        }

        private static int Fill(ByteArena a, int length, int seed)
        {
            int h = a.Alloc(length);
            Assert.IsTrue(h >= 0);
            for (int i = 0; i < length; i++)
            {
                a.Data[a.Offset(h) + i] = (byte)(seed + i);
            }

            return h;
        }

        private static void Check(ByteArena a, int h, int length, int seed)
        {
            Assert.AreEqual(length, a.Length(h));
            for (int i = 0; i < length; i++)
            {
                Assert.AreEqual((byte)(seed + i), a.Data[a.Offset(h) + i]);
            }
        }
    }
}
