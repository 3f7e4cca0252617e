using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class FramingTests
    {
        // 3.1.1 table 2.4: the boundaries of the 1..4 byte remaining-length encoding.
        [TestMethod]
        [DataRow(0, "00")]
        [DataRow(127, "7f")]
        [DataRow(128, "8001")]
        [DataRow(16383, "ff7f")]
        [DataRow(16384, "808001")]
        [DataRow(2097151, "ffff7f")]
        [DataRow(2097152, "80808001")]
        [DataRow(268435455, "ffffff7f")]
        public void Remaining_length_encodes_and_decodes_per_spec_table(int value, string lengthHex)
        {
            byte[] dst = new byte[8];
            int written = Framing.WriteHeader(dst, 1, 0x30, value);
            Frames.AssertWritten("30" + lengthHex, dst, 1, written);
            Assert.AreEqual(lengthHex.Length / 2, Framing.RemainingLengthSize(value));

            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(dst, 1, written, 0, h));
            Assert.AreEqual(value, h.RemainingLength);
            Assert.AreEqual(written, h.HeaderLength);
            Assert.AreEqual(written + value, h.TotalLength);
            Assert.AreEqual((byte)PacketType.Publish, h.Type);
        }

        [TestMethod]
        public void Header_needs_more_until_the_last_length_byte_arrives()
        {
            byte[] b = Bytes.Hex("30 80 80 01");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.NeedMore, Framing.ReadHeader(b, 0, 0, 0, h));
            Assert.AreEqual(DecodeResult.NeedMore, Framing.ReadHeader(b, 0, 1, 0, h));
            Assert.AreEqual(DecodeResult.NeedMore, Framing.ReadHeader(b, 0, 2, 0, h));
            Assert.AreEqual(DecodeResult.NeedMore, Framing.ReadHeader(b, 0, 3, 0, h));
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, 4, 0, h));
            Assert.AreEqual(16384, h.RemainingLength);
        }

        [TestMethod]
        public void Header_is_complete_before_the_body_arrives()
        {
            // Framing answers from the header; whether the body is there is the caller's count >= TotalLength.
            byte[] b = Bytes.Hex("30 0b 0003 612f62");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, b.Length, 0, h));
            Assert.AreEqual(13, h.TotalLength);
            Assert.IsTrue(b.Length < h.TotalLength);
        }

        [TestMethod]
        public void Remaining_length_with_a_fifth_byte_is_malformed()
        {
            byte[] b = Bytes.Hex("30 ff ff ff ff 01");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.MalformedRemainingLength, Framing.ReadHeader(b, 0, b.Length, 0, h));
            // Decided on the 4th length byte's continuation bit: no need to wait for the 5th.
            Assert.AreEqual(DecodeResult.MalformedRemainingLength, Framing.ReadHeader(b, 0, 5, 0, h));
            Assert.AreEqual(DecodeResult.NeedMore, Framing.ReadHeader(b, 0, 4, 0, h));
        }

        [TestMethod]
        public void Packet_larger_than_the_maximum_is_rejected_from_its_header()
        {
            // Only the 3 header bytes of a 16386-byte PUBLISH are here: the verdict must not wait for the body.
            byte[] b = Bytes.Hex("30 ff 7f");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.PacketTooLarge, Framing.ReadHeader(b, 0, b.Length, 16385, h));
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, b.Length, 16386, h));
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, b.Length, 0, h));
            Assert.AreEqual(16386, h.TotalLength);
        }

        [TestMethod]
        public void Largest_possible_packet_is_too_large_for_a_device_limit()
        {
            byte[] b = Bytes.Hex("30 ffffff7f");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.PacketTooLarge, Framing.ReadHeader(b, 0, b.Length, 65536, h));
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, b.Length, 0, h));
            Assert.AreEqual(Framing.MaxRemainingLength, h.RemainingLength);
        }

        [TestMethod]
        [DataRow("00 00")]
        [DataRow("0f 00")]
        [DataRow("f0 00")]
        [DataRow("ff 00")]
        [DataRow("00")]
        [DataRow("f0")]
        public void Packet_types_0_and_15_are_unknown(string hex)
        {
            byte[] b = Bytes.Hex(hex);
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.UnknownPacketType, Framing.ReadHeader(b, 0, b.Length, 0, h));
        }

        [TestMethod]
        public void Header_is_read_at_an_offset_inside_the_buffer()
        {
            byte[] b = Bytes.Hex("ee ee c0 00 ee");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 2, 2, 0, h));
            Assert.AreEqual((byte)PacketType.Pingreq, h.Type);
            Assert.AreEqual((byte)0, h.Flags);
            Assert.AreEqual(2, h.TotalLength);
        }

        [TestMethod]
        public void Header_reports_type_and_flags()
        {
            byte[] b = Bytes.Hex("3d 00");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, 0, b.Length, 0, h));
            Assert.AreEqual((byte)3, h.Type);
            Assert.AreEqual((byte)0x0d, h.Flags);
        }

        // [MQTT-2.2.2-1] table 2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0010, every other non-PUBLISH 0000.
        [TestMethod]
        public void Reserved_flags_are_checked_per_packet_type()
        {
            for (int type = 1; type <= 14; type++)
            {
                for (int flags = 0; flags < 16; flags++)
                {
                    bool expected;
                    if (type == PacketType.Publish)
                    {
                        expected = true;
                    }
                    else if (type == PacketType.Pubrel || type == PacketType.Subscribe || type == PacketType.Unsubscribe)
                    {
                        expected = flags == 2;
                    }
                    else
                    {
                        expected = flags == 0;
                    }

                    Assert.AreEqual(expected, Framing.FlagsValid((byte)type, (byte)flags), "type " + type + " flags " + flags);
                }
            }
        }

        [TestMethod]
        [DataRow(0, 2)]
        [DataRow(127, 129)]
        [DataRow(128, 131)]
        [DataRow(16384, 16388)]
        public void Packet_size_adds_header_and_length_bytes(int remaining, int total)
        {
            Assert.AreEqual(total, Framing.PacketSize(remaining));
        }
    }
}
