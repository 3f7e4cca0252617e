using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class PacketTests
    {
        // Every packet type of both captures, through the one dispatcher.
        [TestMethod]
        [DataRow(Vectors.M31ConnectFull)]
        [DataRow(Vectors.M31Connack)]
        [DataRow(Vectors.M31PublishQos2)]
        [DataRow(Vectors.M31Puback)]
        [DataRow(Vectors.M31Pubrec)]
        [DataRow(Vectors.M31Pubrel)]
        [DataRow(Vectors.M31Pubcomp)]
        [DataRow(Vectors.M31Subscribe)]
        [DataRow(Vectors.M31Suback)]
        [DataRow(Vectors.M31Unsubscribe)]
        [DataRow(Vectors.M31Unsuback)]
        [DataRow(Vectors.M31Pingreq)]
        [DataRow(Vectors.M31Pingresp)]
        [DataRow(Vectors.M31Disconnect)]
        [DataRow(Vectors.M311ConnectFull)]
        [DataRow(Vectors.M311ConnackSessionPresent)]
        [DataRow(Vectors.SpecSuback)]
        public void Validate_accepts_every_captured_packet_type(string hex)
        {
            Assert.AreEqual(DecodeResult.Ok, Frames.Validate(hex));
        }

        [TestMethod]
        public void Validate_accepts_the_whole_mosquitto_capture_file_content()
        {
            // Every packet of the streams, split and revalidated one by one, all 14 types in both versions.
            string[] all = new string[]
            {
                Vectors.M31ClientStream, Vectors.M31ServerStream, Vectors.M311ClientStream, Vectors.M311ServerStream,
                Vectors.M31ConnectPlain, Vectors.M311ConnectPlain, Vectors.M31PublishRetainClear
            };
            int packets = 0;
            for (int s = 0; s < all.Length; s++)
            {
                byte[] b = Bytes.Hex(all[s]);
                int off = 0;
                while (off < b.Length)
                {
                    FixedHeader h = new FixedHeader();
                    Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(b, off, b.Length - off, 0, h));
                    Assert.AreEqual(DecodeResult.Ok, new Packet().Validate(b, off, h));
                    off += h.TotalLength;
                    packets++;
                }
            }

            Assert.AreEqual(27, packets);
        }

        [TestMethod]
        public void Validate_reports_unknown_types_from_a_handmade_header()
        {
            FixedHeader h = new FixedHeader();
            h.Type = 15;
            h.HeaderLength = 2;
            Assert.AreEqual(DecodeResult.UnknownPacketType, new Packet().Validate(new byte[2], 0, h));
        }
    }
}
