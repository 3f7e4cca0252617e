using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class UnsubscribePacketTests
    {
        [TestMethod]
        [DataRow(Vectors.SpecUnsubscribe, 10, "a/b|c/d|")]
        [DataRow(Vectors.M31Unsubscribe, 2, "a/b|")]
        [DataRow(Vectors.M311Unsubscribe, 2, "a/b|")]
        [DataRow("a20a00070001230003612f2b", 7, "#|a/+|")]
        public void Unsubscribe_decodes_every_filter_and_encodes_byte_exact(string hex, int packetId, string filters)
        {
            byte[] p = Bytes.Hex(hex);
            UnsubscribeView v = new UnsubscribeView();
            Assert.AreEqual(DecodeResult.Ok, UnsubscribePacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((ushort)packetId, v.PacketId);

            string found = "";
            byte[][] copies = new byte[v.Count][];
            int i = 0;
            int cursor = v.EntriesOffset;
            while (cursor < v.EntriesEnd)
            {
                int filterOffset, filterLength;
                UnsubscribePacket.NextEntry(p, ref cursor, out filterOffset, out filterLength);
                found += Bytes.Text(p, filterOffset, filterLength) + "|";
                copies[i] = new byte[filterLength];
                System.Array.Copy(p, filterOffset, copies[i], 0, filterLength);
                i++;
            }

            Assert.AreEqual(filters, found);
            Assert.AreEqual(v.Count, i);

            byte[] dst = new byte[p.Length];
            int n = UnsubscribePacket.Encode(dst, 0, dst.Length, (ushort)packetId, copies, v.Count);
            Frames.AssertWritten(hex, dst, 0, n);
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] dst = Bytes.Filled(8, 0xAA);
            Assert.AreEqual(-9, UnsubscribePacket.Encode(dst, 0, 8, 2, new byte[][] { Bytes.Ascii("a/b") }, 1));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        [DataRow("a0 05 0001 0001 61")]
        [DataRow("a3 05 0001 0001 61")]
        [DataRow("aa 05 0001 0001 61")]
        public void Unsubscribe_without_flags_0010_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate(hex));
        }

        [TestMethod]
        public void Unsubscribe_without_filters_is_rejected()
        {
            Assert.AreEqual(DecodeResult.NoTopicFilters, Frames.Validate("a2 02 0001"));
        }

        [TestMethod]
        public void Unsubscribe_with_packet_id_0_is_rejected()
        {
            Assert.AreEqual(DecodeResult.ZeroPacketId, Frames.Validate("a2 05 0000 0001 61"));
        }

        [TestMethod]
        [DataRow("a2 06 0001 0002 6123")]
        [DataRow("a2 07 0001 0003 23 2f 61")]
        [DataRow("a2 09 0001 0001 61 0002 2b2b")]
        public void Unsubscribe_with_malformed_filter_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidTopicFilter, Frames.Validate(hex));
        }

        [TestMethod]
        public void Unsubscribe_with_empty_filter_is_rejected()
        {
            Assert.AreEqual(DecodeResult.EmptyTopic, Frames.Validate("a2 04 0001 0000"));
        }

        [TestMethod]
        [DataRow("a2 06 0001 0002 6100", 0)]
        [DataRow("a2 06 0001 0002 c080", 1)]
        [DataRow("a2 07 0001 0003 edb080", 2)]
        public void Unsubscribe_filter_must_be_mqtt_utf8(string hex, int kind)
        {
            Assert.AreEqual(ConnectPacketTests.Utf8Result(kind), Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("a2 04 0001 0005")]
        [DataRow("a2 03 0001 00")]
        [DataRow("a2 01 00")]
        [DataRow("a2 06 0001 0001 61 00")]
        public void Unsubscribe_shorter_than_its_filters_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }
    }
}
