using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Device.Protocol;
using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// A minimal blocking MQTT 3.1.1 client over a real socket for the crash tests: it sends the test packets and reads
    /// whole packets back, and any socket failure (the broker was killed) surfaces as IOException/SocketException.
    /// </summary>
    public sealed class RawMqtt : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;

        public RawMqtt(int port, string clientId, bool cleanSession, int readTimeoutMs)
        {
            _tcp = new TcpClient("127.0.0.1", port) { NoDelay = true };
            _tcp.ReceiveTimeout = readTimeoutMs;
            _stream = _tcp.GetStream();
            Send(TestPackets.Connect(new ConnectSpec(clientId) { CleanSession = cleanSession, KeepAlive = 0 }));
            byte[] connack = Read(out byte type);
            if (type != PacketType.Connack || connack.Length != 2 || connack[1] != 0)
            {
                throw new IOException("CONNACK refused or malformed");
            }

            SessionPresent = (connack[0] & 1) != 0;
        }

        public bool SessionPresent { get; }

        public void Send(byte[] packet)
        {
            _stream.Write(packet, 0, packet.Length);
        }

        /// <summary>One whole packet: its type (high nibble of the first byte) and flags out, its body returned.</summary>
        public byte[] Read(out byte type)
        {
            return Read(out type, out _);
        }

        public byte[] Read(out byte type, out byte flags)
        {
            int first = ReadByte();
            type = (byte)(first >> 4);
            flags = (byte)(first & 0x0F);
            int length = 0;
            for (int shift = 0; ; shift += 7)
            {
                int b = ReadByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            byte[] body = new byte[length];
            int got = 0;
            while (got < length)
            {
                int n = _stream.Read(body, got, length - got);
                if (n <= 0)
                {
                    throw new IOException("connection closed inside a packet");
                }

                got += n;
            }

            return body;
        }

        /// <summary>An ack's packet id (the first two body bytes).</summary>
        public static ushort Id(byte[] body)
        {
            return (ushort)((body[0] << 8) | body[1]);
        }

        /// <summary>A PUBLISH body's topic, payload and packet id (0 at QoS 0).</summary>
        public static void Publish(byte[] body, byte flags, out string topic, out string payload, out ushort packetId)
        {
            int topicLength = (body[0] << 8) | body[1];
            topic = Encoding.UTF8.GetString(body, 2, topicLength);
            int at = 2 + topicLength;
            packetId = 0;
            if (((flags >> 1) & 3) > 0)
            {
                packetId = (ushort)((body[at] << 8) | body[at + 1]);
                at += 2;
            }

            payload = Encoding.UTF8.GetString(body, at, body.Length - at);
        }

        private int ReadByte()
        {
            int b = _stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("connection closed");
            }

            return b;
        }

        public void Dispose()
        {
            _tcp.Dispose();
        }
    }
}
