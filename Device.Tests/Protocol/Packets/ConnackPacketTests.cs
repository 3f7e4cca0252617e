using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class ConnackPacketTests
    {
        [TestMethod]
        [DataRow(Vectors.M31Connack, false, 0)]
        [DataRow(Vectors.M311Connack, false, 0)]
        [DataRow(Vectors.M311ConnackSessionPresent, true, 0)]
        [DataRow("20020001", false, 1)]
        [DataRow("20020005", false, 5)]
        public void Connack_decodes_and_encodes_byte_exact(string hex, bool sessionPresent, int code)
        {
            byte[] p = Bytes.Hex(hex);
            ConnackView v = new ConnackView();
            Assert.AreEqual(DecodeResult.Ok, ConnackPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual(sessionPresent, v.SessionPresent);
            Assert.AreEqual((byte)code, v.ReturnCode);

            byte[] dst = new byte[6];
            int n = ConnackPacket.Encode(dst, 2, 4, sessionPresent, (byte)code);
            Frames.AssertWritten(hex, dst, 2, n);
        }

        [TestMethod]
        public void Encode_never_claims_a_session_for_a_refused_connection()
        {
            byte[] dst = new byte[4];
            int n = ConnackPacket.Encode(dst, 0, 4, true, ConnectReturnCode.NotAuthorized);
            Frames.AssertWritten("20020005", dst, 0, n);
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] dst = Bytes.Filled(3, 0xAA);
            Assert.AreEqual(-4, ConnackPacket.Encode(dst, 0, 3, false, 0));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        [DataRow("20020200")]
        [DataRow("20028000")]
        [DataRow("2002fe00")]
        public void Connack_reserved_acknowledge_flags_are_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidConnackFlags, Frames.Validate(hex));
        }

        [TestMethod]
        public void Connack_with_session_present_and_a_refusal_is_rejected()
        {
            Assert.AreEqual(DecodeResult.InvalidConnackFlags, Frames.Validate("20020102"));
        }

        [TestMethod]
        [DataRow("20020006")]
        [DataRow("200200ff")]
        public void Connack_reserved_return_codes_are_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidConnectReturnCode, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("200100")]
        [DataRow("2003000000")]
        [DataRow("2000")]
        public void Connack_of_other_than_2_bytes_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }

        [TestMethod]
        public void Connack_header_flags_must_be_zero()
        {
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, Frames.Validate("21020000"));
        }
    }
}
