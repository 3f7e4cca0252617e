using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class SubscribePacketTests
    {
        [TestMethod]
        [DataRow(Vectors.SpecSubscribe, 10, "a/b=1|c/d=2|")]
        [DataRow(Vectors.M31Subscribe, 1, "a/b=2|c/+=2|d/#=2|")]
        [DataRow(Vectors.M311Subscribe, 1, "a/b=2|c/+=2|d/#=2|")]
        [DataRow("820800010003612f6201", 1, "a/b=1|")]
        [DataRow("8214000100087365637265742f780000046f6b2f7800", 1, "secret/x=0|ok/x=0|")]
        public void Subscribe_decodes_every_entry(string hex, int packetId, string entries)
        {
            byte[] p = Bytes.Hex(hex);
            SubscribeView v = new SubscribeView();
            Assert.AreEqual(DecodeResult.Ok, SubscribePacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((ushort)packetId, v.PacketId);
            Assert.AreEqual(p.Length, v.EntriesEnd);

            string found = "";
            int count = 0;
            int cursor = v.EntriesOffset;
            while (cursor < v.EntriesEnd)
            {
                int filterOffset, filterLength;
                byte qos;
                SubscribePacket.NextEntry(p, ref cursor, out filterOffset, out filterLength, out qos);
                found += Bytes.Text(p, filterOffset, filterLength) + "=" + qos + "|";
                count++;
            }

            Assert.AreEqual(entries, found);
            Assert.AreEqual(count, v.Count);
            Assert.AreEqual(v.EntriesEnd, cursor);
        }

        [TestMethod]
        public void Subscribe_encodes_byte_exact()
        {
            byte[][] filters = new byte[][] { Bytes.Ascii("a/b"), Bytes.Ascii("c/+"), Bytes.Ascii("d/#") };
            byte[] qos = new byte[] { 2, 2, 2 };
            byte[] dst = new byte[30];
            int n = SubscribePacket.Encode(dst, 4, 26, 1, filters, qos, 3);
            Frames.AssertWritten(Vectors.M311Subscribe, dst, 4, n);

            byte[][] spec = new byte[][] { Bytes.Ascii("a/b"), Bytes.Ascii("c/d"), Bytes.Ascii("ignored") };
            n = SubscribePacket.Encode(dst, 0, 30, 10, spec, new byte[] { 1, 2, 0 }, 2);
            Frames.AssertWritten(Vectors.SpecSubscribe, dst, 0, n);
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[][] filters = new byte[][] { Bytes.Ascii("a/b") };
            byte[] dst = Bytes.Filled(9, 0xAA);
            Assert.AreEqual(-10, SubscribePacket.Encode(dst, 0, 9, 1, filters, new byte[] { 1 }, 1));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        public void Encode_rejects_no_filters_and_qos_3()
        {
            byte[][] filters = new byte[][] { Bytes.Ascii("a") };
            Assert.ThrowsException(typeof(System.ArgumentException), () => SubscribePacket.Encode(new byte[16], 0, 16, 1, filters, new byte[] { 0 }, 0));
            Assert.ThrowsException(typeof(System.ArgumentException), () => SubscribePacket.Encode(new byte[16], 0, 16, 1, filters, new byte[] { 3 }, 1));
        }

        [TestMethod]
        [DataRow("80 06 0001 0001 61 00")]
        [DataRow("83 06 0001 0001 61 00")]
        [DataRow("8a 06 0001 0001 61 00")]
        public void Subscribe_without_flags_0010_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate(hex));
        }

        [TestMethod]
        public void Subscribe_without_filters_is_rejected()
        {
            Assert.AreEqual(DecodeResult.NoTopicFilters, Frames.Validate("82 02 0001"));
        }

        [TestMethod]
        public void Subscribe_with_packet_id_0_is_rejected()
        {
            Assert.AreEqual(DecodeResult.ZeroPacketId, Frames.Validate("82 06 0000 0001 61 00"));
        }

        [TestMethod]
        [DataRow("03")]
        [DataRow("04")]
        [DataRow("80")]
        [DataRow("fc")]
        [DataRow("ff")]
        public void Subscribe_with_requested_qos_above_2_or_reserved_bits_is_rejected(string options)
        {
            Assert.AreEqual(DecodeResult.InvalidRequestedQos, Frames.Validate("82 06 0001 0001 61 " + options));
            // The second entry is checked as well as the first.
            Assert.AreEqual(DecodeResult.InvalidRequestedQos, Frames.Validate("82 0a 0001 0001 61 00 0001 62 " + options));
        }

        [TestMethod]
        [DataRow("0004 612f232f")]     // a/#/
        [DataRow("0002 6123")]        // a#
        [DataRow("0002 2b61")]        // +a
        [DataRow("0004 612f2b62")]    // a/+b
        public void Subscribe_with_malformed_filter_is_rejected(string filter)
        {
            byte[] f = Bytes.Hex(filter);
            string length = Bytes.ToHex(new byte[] { (byte)(2 + f.Length + 1) }, 0, 1);
            Assert.AreEqual(DecodeResult.InvalidTopicFilter, Frames.Validate("82" + length + "0001" + filter + "00"));
        }

        [TestMethod]
        public void Subscribe_with_empty_filter_is_rejected()
        {
            Assert.AreEqual(DecodeResult.EmptyTopic, Frames.Validate("82 05 0001 0000 00"));
        }

        [TestMethod]
        [DataRow("82 07 0001 0002 6100 00", 0)]
        [DataRow("82 07 0001 0002 c0af 00", 1)]
        [DataRow("82 08 0001 0003 eda080 00", 2)]
        public void Subscribe_filter_must_be_mqtt_utf8(string hex, int kind)
        {
            Assert.AreEqual(ConnectPacketTests.Utf8Result(kind), Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("82 05 0001 0001 61")]          // filter without its QoS byte
        [DataRow("82 04 0001 0005")]             // filter length past the end
        [DataRow("82 03 0001 00")]               // half a filter length
        [DataRow("82 01 00")]                    // half a packet id
        [DataRow("82 08 0001 0001 61 00 0001")]  // second entry cut short
        public void Subscribe_shorter_than_its_entries_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }
    }
}
