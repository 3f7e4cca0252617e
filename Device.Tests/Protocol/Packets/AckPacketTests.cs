using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class AckPacketTests
    {
        [TestMethod]
        [DataRow(Vectors.M31Puback, 4, 1)]
        [DataRow(Vectors.M31Pubrec, 5, 1)]
        [DataRow(Vectors.M31Pubrel, 6, 1)]
        [DataRow(Vectors.M31Pubcomp, 7, 1)]
        [DataRow(Vectors.M31Unsuback, 11, 2)]
        [DataRow(Vectors.M311Puback, 4, 1)]
        [DataRow(Vectors.M311Pubrec, 5, 1)]
        [DataRow(Vectors.M311Pubrel, 6, 1)]
        [DataRow(Vectors.M311Pubcomp, 7, 1)]
        [DataRow(Vectors.M311Unsuback, 11, 2)]
        [DataRow("4002ffff", 4, 65535)]
        [DataRow("6202abcd", 6, 0xabcd)]
        public void Ack_decodes_and_encodes_byte_exact(string hex, int type, int packetId)
        {
            byte[] p = Bytes.Hex(hex);
            FixedHeader h = Frames.Header(p);
            Assert.AreEqual((byte)type, h.Type);
            ushort id;
            Assert.AreEqual(DecodeResult.Ok, AckPacket.Decode(p, 0, h, out id));
            Assert.AreEqual((ushort)packetId, id);

            byte[] dst = new byte[5];
            int n = AckPacket.Encode(dst, 1, 4, (byte)type, (ushort)packetId);
            Frames.AssertWritten(hex, dst, 1, n);
        }

        [TestMethod]
        [DataRow("40020000")]
        [DataRow("50020000")]
        [DataRow("62020000")]
        [DataRow("70020000")]
        [DataRow("b0020000")]
        public void Ack_with_packet_id_0_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.ZeroPacketId, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("60020001")]
        [DataRow("63020001")]
        [DataRow("6a020001")]
        public void Pubrel_without_flags_0010_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("42020001")]
        [DataRow("51020001")]
        [DataRow("78020001")]
        [DataRow("b2020001")]
        public void Ack_with_reserved_flags_set_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("4000")]
        [DataRow("500101")]
        [DataRow("6203000100")]
        [DataRow("7004000100ff")]
        [DataRow("b003000200")]
        public void Ack_of_other_than_2_bytes_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] dst = Bytes.Filled(4, 0xAA);
            Assert.AreEqual(-4, AckPacket.Encode(dst, 1, 3, PacketType.Pubrel, 1));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        public void Encode_rejects_types_that_are_not_acks_and_packet_id_0()
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () => AckPacket.Encode(new byte[4], 0, 4, PacketType.Suback, 1));
            Assert.ThrowsException(typeof(System.ArgumentException), () => AckPacket.Encode(new byte[4], 0, 4, PacketType.Puback, 0));
        }

        [TestMethod]
        public void Decode_refuses_a_header_of_another_type()
        {
            byte[] p = Bytes.Hex("c000");
            ushort id;
            Assert.AreEqual(DecodeResult.WrongPacketType, AckPacket.Decode(p, 0, Frames.Header(p), out id));
        }
    }
}
