using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class SubackPacketTests
    {
        [TestMethod]
        [DataRow(Vectors.SpecSuback, 10, "000280")]
        [DataRow(Vectors.M31Suback, 1, "020202")]
        [DataRow(Vectors.M311Suback, 1, "020202")]
        [DataRow("9003000101", 1, "01")]
        public void Suback_decodes_and_encodes_byte_exact(string hex, int packetId, string codes)
        {
            byte[] p = Bytes.Hex(hex);
            SubackView v = new SubackView();
            Assert.AreEqual(DecodeResult.Ok, SubackPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((ushort)packetId, v.PacketId);
            Assert.AreEqual(codes, Bytes.Of(p, v.ReturnCodesOffset, v.ReturnCodesLength));

            byte[] c = Bytes.Hex("ee" + codes);
            byte[] dst = new byte[p.Length + 2];
            int n = SubackPacket.Encode(dst, 2, p.Length, (ushort)packetId, c, 1, c.Length - 1);
            Frames.AssertWritten(hex, dst, 2, n);
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] dst = Bytes.Filled(6, 0xAA);
            Assert.AreEqual(-7, SubackPacket.Encode(dst, 0, 6, 1, new byte[] { 0, 1, 2 }, 0, 3));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        [DataRow("03")]
        [DataRow("81")]
        [DataRow("ff")]
        [DataRow("00 04")]
        public void Suback_with_reserved_return_code_is_rejected(string codes)
        {
            byte[] c = Bytes.Hex(codes);
            string length = Bytes.ToHex(new byte[] { (byte)(2 + c.Length) }, 0, 1);
            Assert.AreEqual(DecodeResult.InvalidSubackReturnCode, Frames.Validate("90" + length + "0001" + codes));
        }

        [TestMethod]
        public void Suback_without_return_codes_is_rejected()
        {
            Assert.AreEqual(DecodeResult.NoReturnCodes, Frames.Validate("90 02 0001"));
        }

        [TestMethod]
        public void Suback_with_packet_id_0_is_rejected()
        {
            Assert.AreEqual(DecodeResult.ZeroPacketId, Frames.Validate("90 03 0000 00"));
        }

        [TestMethod]
        public void Suback_shorter_than_a_packet_id_is_a_length_mismatch()
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate("90 01 00"));
        }

        [TestMethod]
        public void Suback_header_flags_must_be_zero()
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate("92 03 0001 00"));
        }
    }
}
