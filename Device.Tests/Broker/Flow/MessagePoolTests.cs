using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MessagePoolTests
    {
        [TestMethod]
        public void Message_lives_until_its_last_reference_is_released()
        {
            MessagePool store = new MessagePool(4, 64);
            byte[] t = TestPackets.Bytes("topic");
            byte[] p = TestPackets.Bytes("payload");
            int m = store.Add(t, 0, t.Length, p, 0, p.Length);
            store.AddRef(m);
            store.AddRef(m);
            Assert.AreEqual(3, store.References(m));
            store.Release(m);
            store.Release(m);
            Assert.AreEqual(1, store.Count);
            Assert.AreEqual("payload", Device.Protocol.Utf8.Decode(store.Data, store.PayloadOffset(m), store.PayloadLength(m)));
            store.Release(m);
            Assert.AreEqual(0, store.Count);
            Assert.AreEqual(0, store.BytesUsed);
        }

        [TestMethod]
        public void Store_refuses_when_slots_or_bytes_run_out_and_keeps_what_it_has()
        {
            MessagePool store = new MessagePool(2, 20);
            byte[] b = TestPackets.Bytes("0123456789");
            int a = store.Add(b, 0, 2, b, 2, 6);
            Assert.AreEqual(-1, store.Add(b, 0, 5, b, 0, 10), "13 more bytes do not fit 20 (18 usable: the last eighth is compaction room)");
            Assert.IsFalse(store.CanStore(11), "8 + 11 is over seven eighths of 20");
            int c = store.Add(b, 0, 4, b, 4, 6);
            Assert.AreEqual(-1, store.Add(b, 0, 1, b, 0, 0), "no slot left");
            Assert.AreEqual("234567", Device.Protocol.Utf8.Decode(store.Data, store.PayloadOffset(a), store.PayloadLength(a)));
            Assert.AreEqual("0123", Device.Protocol.Utf8.Decode(store.Data, store.TopicOffset(c), store.TopicLength(c)));
        }
    }
}
