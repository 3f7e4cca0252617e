using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class EmptyPacketTests
    {
        [TestMethod]
        [DataRow(Vectors.M31Pingreq, 12)]
        [DataRow(Vectors.M31Pingresp, 13)]
        [DataRow(Vectors.M31Disconnect, 14)]
        [DataRow(Vectors.M311Pingreq, 12)]
        [DataRow(Vectors.M311Pingresp, 13)]
        [DataRow(Vectors.M311Disconnect, 14)]
        public void Empty_packet_decodes_and_encodes_byte_exact(string hex, int type)
        {
            byte[] p = Bytes.Hex(hex);
            FixedHeader h = Frames.Header(p);
            Assert.AreEqual((byte)type, h.Type);
            Assert.AreEqual(DecodeResult.Ok, EmptyPacket.Decode(p, 0, h));

            byte[] dst = new byte[3];
            int n = EmptyPacket.Encode(dst, 1, 2, (byte)type);
            Frames.AssertWritten(hex, dst, 1, n);
        }

        [TestMethod]
        [DataRow("c100")]
        [DataRow("d800")]
        [DataRow("e200")]
        [DataRow("ef00")]
        public void Empty_packet_with_reserved_flags_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("c00100")]
        [DataRow("d0020000")]
        [DataRow("e00100")]
        public void Empty_packet_with_a_body_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] dst = Bytes.Filled(2, 0xAA);
            Assert.AreEqual(-2, EmptyPacket.Encode(dst, 1, 1, PacketType.Pingresp));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        public void Encode_rejects_types_that_carry_a_body()
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () => EmptyPacket.Encode(new byte[2], 0, 2, PacketType.Puback));
        }
    }
}
