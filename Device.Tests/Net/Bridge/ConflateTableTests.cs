using Device.Net;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// The `conflate` table (Device.Net/Bridge/ConflateTable): the newest QoS 0 message per local topic, in the order
    /// topics were first held, within slots allocated at start-up; what it cannot hold is dropped and counted.
    /// </summary>
    [TestClass]
    public class ConflateTableTests
    {
        private static ConflateTable _t;
        private static byte[] _src = new byte[256];

        private static void Fresh(int slots, int slotBytes)
        {
            byte[][] filters = new byte[2][];
            filters[0] = Ascii("sensors/+/temp");
            filters[1] = Ascii("meter/#");
            _t = new ConflateTable(filters, 2, slots, slotBytes);
        }

        /// <summary>Puts topic and payload (written into one source buffer at an offset, as a PUBLISH would carry them).</summary>
        private static int Put(string topic, string payload, bool retain)
        {
            byte[] t = Ascii(topic);
            byte[] p = Ascii(payload);
            System.Array.Copy(t, 0, _src, 7, t.Length);
            System.Array.Copy(p, 0, _src, 7 + t.Length, p.Length);
            return _t.Put(_src, 7, t.Length, 7 + t.Length, p.Length, retain);
        }

        private static string TopicOf(int slot)
        {
            return Text(_t.Data, _t.TopicOffset(slot), _t.TopicLength(slot));
        }

        private static string PayloadOf(int slot)
        {
            return Text(_t.Data, _t.PayloadOffset(slot), _t.PayloadLength(slot));
        }

        [TestMethod]
        public void Matches_only_topics_of_the_conflate_patterns()
        {
            Fresh(4, 64);
            byte[] a = Ascii("sensors/room1/temp");
            byte[] b = Ascii("sensors/room1/humidity");
            byte[] c = Ascii("meter/total");
            Assert.IsTrue(_t.Matches(a, 0, a.Length));
            Assert.IsFalse(_t.Matches(b, 0, b.Length));
            Assert.IsTrue(_t.Matches(c, 0, c.Length));
        }

        [TestMethod]
        public void A_newer_message_replaces_the_held_one_of_its_topic()
        {
            Fresh(4, 64);
            Assert.AreEqual(ConflateTable.Held, Put("sensors/a/temp", "20.1", false));
            Assert.AreEqual(ConflateTable.Replaced, Put("sensors/a/temp", "20.2", false));
            Assert.AreEqual(ConflateTable.Replaced, Put("sensors/a/temp", "20.35", false));
            Assert.AreEqual(1, _t.Count);
            Assert.AreEqual("20.35", PayloadOf(_t.Oldest));
            Assert.AreEqual(3, _t.Conflated);
            Assert.AreEqual(2, _t.Superseded);
        }

        [TestMethod]
        public void Topics_leave_in_the_order_they_were_first_held_with_their_newest_payload()
        {
            Fresh(4, 64);
            Put("sensors/a/temp", "a1", false);
            Put("sensors/b/temp", "b1", false);
            Put("meter/x", "x1", false);
            Put("sensors/a/temp", "a2", false);
            Put("sensors/b/temp", "b2", false);
            string[] topics = new string[] { "sensors/a/temp", "sensors/b/temp", "meter/x" };
            string[] payloads = new string[] { "a2", "b2", "x1" };
            for (int i = 0; i < 3; i++)
            {
                int slot = _t.Oldest;
                Assert.IsTrue(_t.Live(slot));
                Assert.AreEqual(topics[i], TopicOf(slot));
                Assert.AreEqual(payloads[i], PayloadOf(slot));
                _t.RemoveOldest(true);
            }

            Assert.AreEqual(-1, _t.Oldest);
            Assert.AreEqual(3, _t.Sent);
            // Conflated = superseded + sent + still held.
            Assert.AreEqual(_t.Superseded + _t.Sent + _t.Count, _t.Conflated);
        }

        [TestMethod]
        public void A_full_table_drops_a_new_topic_and_counts_it_but_still_replaces_held_ones()
        {
            Fresh(2, 64);
            Put("sensors/a/temp", "1", false);
            Put("sensors/b/temp", "1", false);
            Assert.AreEqual(ConflateTable.Full, Put("sensors/c/temp", "1", false));
            Assert.AreEqual(1, _t.DroppedFull);
            Assert.AreEqual(ConflateTable.Replaced, Put("sensors/b/temp", "2", false));
            Assert.AreEqual(2, _t.Count);
            _t.RemoveOldest(true);
            // A slot freed: the ring takes a new topic again, behind the one still held.
            Assert.AreEqual(ConflateTable.Held, Put("sensors/c/temp", "3", false));
            Assert.AreEqual("sensors/b/temp", TopicOf(_t.Oldest));
            _t.RemoveOldest(true);
            Assert.AreEqual("sensors/c/temp", TopicOf(_t.Oldest));
            Assert.AreEqual("3", PayloadOf(_t.Oldest));
        }

        [TestMethod]
        public void The_retain_flag_is_kept_per_slot_and_follows_the_newest_message()
        {
            Fresh(4, 64);
            Put("sensors/a/temp", "1", true);
            Put("sensors/b/temp", "1", false);
            Assert.IsTrue(_t.Retain(_t.Oldest));
            Put("sensors/a/temp", "2", false);
            Assert.IsFalse(_t.Retain(_t.Oldest));
            Put("sensors/a/temp", "3", true);
            Assert.IsTrue(_t.Retain(_t.Oldest));
        }

        [TestMethod]
        public void An_oversize_message_is_dropped_counted_and_discards_the_older_one_of_its_topic()
        {
            // 16 bytes a slot: "sensors/a/temp" (14) + 2 payload bytes fit, 3 do not.
            Fresh(4, 16);
            Assert.AreEqual(ConflateTable.Held, Put("sensors/a/temp", "12", false));
            Assert.AreEqual(ConflateTable.Held, Put("meter/x", "1", false));
            Assert.AreEqual(ConflateTable.Oversize, Put("sensors/a/temp", "123", false));
            Assert.AreEqual(1, _t.DroppedOversize);
            Assert.AreEqual(1, _t.Superseded);
            // The older reading of that topic must not go out as if it were the newest.
            Assert.IsFalse(_t.Live(_t.Oldest));
            _t.RemoveOldest(false);
            Assert.AreEqual("meter/x", TopicOf(_t.Oldest));
            Assert.AreEqual(0, _t.Sent);
        }

        [TestMethod]
        public void A_discarded_slot_takes_the_next_reading_of_its_topic_in_its_first_held_place()
        {
            Fresh(4, 16);
            Put("sensors/a/temp", "12", false);
            Put("meter/x", "1", false);
            Put("sensors/a/temp", "123", false);
            Assert.AreEqual(ConflateTable.Held, Put("sensors/a/temp", "9", false));
            Assert.AreEqual(2, _t.Count);
            Assert.IsTrue(_t.Live(_t.Oldest));
            Assert.AreEqual("sensors/a/temp", TopicOf(_t.Oldest));
            Assert.AreEqual("9", PayloadOf(_t.Oldest));
        }

        [TestMethod]
        public void An_empty_payload_is_held_as_a_message_of_its_own()
        {
            Fresh(2, 16);
            Put("meter/x", "5", true);
            Assert.AreEqual(ConflateTable.Replaced, Put("meter/x", "", true));
            Assert.IsTrue(_t.Live(_t.Oldest));
            Assert.AreEqual(0, _t.PayloadLength(_t.Oldest));
        }

        private static byte[] Ascii(string s)
        {
            char[] c = s.ToCharArray();
            byte[] b = new byte[c.Length];
            for (int i = 0; i < c.Length; i++)
            {
                b[i] = (byte)c[i];
            }

            return b;
        }

        private static string Text(byte[] b, int offset, int length)
        {
            char[] c = new char[length];
            for (int i = 0; i < length; i++)
            {
                c[i] = (char)b[offset + i];
            }

            return new string(c);
        }
    }
}
