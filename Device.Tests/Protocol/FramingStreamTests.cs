using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// Real Mosquitto byte streams fed through Framing the way a broker reads a socket: a fixed receive buffer,
    /// reads of any size, packets decoded in place, the unread tail moved to the front.
    /// </summary>
    [TestClass]
    public class FramingStreamTests
    {
        private const string ClientPackets31 = Vectors.M31ConnectFull + "|" + Vectors.M31Subscribe + "|40020001|50020002|70020002|e000|";
        private const string ServerPackets31 = "20020000|90050001020202|300b0003612f6268656c6c6f30|320d0003632f78000168656c6c6f31|340f0005642f652f66000268656c6c6f32|62020002|";
        private const string ClientPackets311 = Vectors.M311ConnectFull + "|" + Vectors.M311Subscribe + "|40020001|50020002|70020002|e000|";

        [TestMethod]
        [DataRow(Vectors.M31ClientStream, ClientPackets31)]
        [DataRow(Vectors.M31ServerStream, ServerPackets31)]
        [DataRow(Vectors.M311ClientStream, ClientPackets311)]
        [DataRow(Vectors.M311ServerStream, ServerPackets31)]
        public void Stream_split_at_every_byte_yields_the_same_packets(string streamHex, string expected)
        {
            byte[] stream = Bytes.Hex(streamHex);
            for (int cut = 0; cut <= stream.Length; cut++)
            {
                Assert.AreEqual(expected, Parse(stream, cut, stream.Length, 256), "split at " + cut);
            }
        }

        [TestMethod]
        [DataRow(Vectors.M31ClientStream, ClientPackets31)]
        [DataRow(Vectors.M311ServerStream, ServerPackets31)]
        public void Stream_read_one_byte_at_a_time_yields_the_same_packets(string streamHex, string expected)
        {
            byte[] stream = Bytes.Hex(streamHex);
            Assert.AreEqual(expected, Parse(stream, 1, 1, 256));
        }

        [TestMethod]
        [DataRow(Vectors.M31ClientStream, ClientPackets31)]
        [DataRow(Vectors.M31ServerStream, ServerPackets31)]
        [DataRow(Vectors.M311ClientStream, ClientPackets311)]
        public void Several_packets_in_one_read_are_all_found(string streamHex, string expected)
        {
            byte[] stream = Bytes.Hex(streamHex);
            Assert.AreEqual(expected, Parse(stream, stream.Length, stream.Length, 256));
        }

        [TestMethod]
        [DataRow(Vectors.M31ClientStream, ClientPackets31)]
        [DataRow(Vectors.M311ServerStream, ServerPackets31)]
        public void Receive_buffer_just_larger_than_the_largest_packet_suffices(string streamHex, string expected)
        {
            // The 58-byte CONNECT fits a 64-byte buffer only once the consumed packets are moved out of the way.
            byte[] stream = Bytes.Hex(streamHex);
            for (int read = 1; read <= 64; read++)
            {
                Assert.AreEqual(expected, Parse(stream, read, read, 64), "reads of " + read);
            }
        }

        [TestMethod]
        public void Packet_above_the_maximum_stops_the_stream_before_its_body()
        {
            // A 3-byte read announcing 16386 bytes must be refused although the receive buffer holds 64.
            byte[] rx = Bytes.Hex("30 ff 7f");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.PacketTooLarge, Framing.ReadHeader(rx, 0, rx.Length, 64, h));
        }

        /// <summary>
        /// Delivers stream in reads: the first of firstRead bytes, then reads of readSize bytes (each capped by the
        /// free space of a capacity-byte buffer). Returns every packet found as hex, each followed by '|'.
        /// </summary>
        private static string Parse(byte[] stream, int firstRead, int readSize, int capacity)
        {
            byte[] rx = new byte[capacity];
            int count = 0;
            int pos = 0;
            string found = "";
            bool first = true;
            int guard = 0;
            while (pos < stream.Length || count > 0)
            {
                Assert.IsTrue(guard++ < 100000, "no progress");
                int want = first ? firstRead : readSize;
                first = false;
                int n = stream.Length - pos;
                if (n > want)
                {
                    n = want;
                }

                if (n > capacity - count)
                {
                    n = capacity - count;
                }

                System.Array.Copy(stream, pos, rx, count, n);
                count += n;
                pos += n;

                int start = 0;
                while (true)
                {
                    FixedHeader h = new FixedHeader();
                    DecodeResult r = Framing.ReadHeader(rx, start, count - start, capacity, h);
                    if (r == DecodeResult.NeedMore)
                    {
                        break;
                    }

                    Assert.AreEqual(DecodeResult.Ok, r);
                    if (count - start < h.TotalLength)
                    {
                        break;
                    }

                    Assert.AreEqual(DecodeResult.Ok, new Packet().Validate(rx, start, h));
                    found += Bytes.ToHex(rx, start, h.TotalLength) + "|";
                    start += h.TotalLength;
                }

                System.Array.Copy(rx, start, rx, 0, count - start);
                count -= start;
                if (pos >= stream.Length && start == 0 && count > 0)
                {
                    Assert.IsTrue(false, "stream ends inside a packet");
                }
            }

            return found;
        }
    }
}
