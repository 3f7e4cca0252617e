using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Framing steps the packet tests repeat.</summary>
    internal static class Frames
    {
        /// <summary>Reads the fixed header of a whole packet that starts at index 0 and insists it is complete.</summary>
        public static FixedHeader Header(byte[] packet)
        {
            FixedHeader h = new FixedHeader();
            DecodeResult r = Framing.ReadHeader(packet, 0, packet.Length, 0, h);
            Assert.AreEqual(DecodeResult.Ok, r, "fixed header");
            Assert.AreEqual(packet.Length, h.TotalLength, "packet length");
            return h;
        }

        /// <summary>Full validation of a hex packet through its type's decoder.</summary>
        public static DecodeResult Validate(string hex)
        {
            byte[] packet = Bytes.Hex(hex);
            return new Packet().Validate(packet, 0, Header(packet));
        }

        /// <summary>Asserts that dst[offset..offset+written) is exactly the expected hex.</summary>
        public static void AssertWritten(string expectedHex, byte[] dst, int offset, int written)
        {
            byte[] expected = Bytes.Hex(expectedHex);
            Assert.AreEqual(expected.Length, written, "bytes written");
            Assert.AreEqual(Bytes.ToHex(expected, 0, expected.Length), Bytes.ToHex(dst, offset, written));
        }

        /// <summary>Asserts that the buffer still holds nothing but the fill byte (a refused encode wrote nothing).</summary>
        public static void AssertUntouched(byte[] dst, byte fill)
        {
            for (int i = 0; i < dst.Length; i++)
            {
                Assert.AreEqual(fill, dst[i], "byte " + i + " was written");
            }
        }
    }
}
