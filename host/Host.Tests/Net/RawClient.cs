using System.Net.Sockets;
using System.Net;
using System.Text;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A minimal MQTT 3.1.1 client on a plain socket, writing the packets byte by byte, so transport tests control
    /// exactly what goes over the wire and when the client stops reading. Every read is bounded in time.
    /// </summary>
    public sealed class RawClient : IDisposable
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

        public RawClient(int port, int receiveBufferSize = 0)
        {
            Socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (receiveBufferSize > 0)
            {
                // Before connecting, so the advertised window is small from the start.
                Socket.ReceiveBufferSize = receiveBufferSize;
            }

            Socket.NoDelay = true;
            Socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        }

        public Socket Socket { get; }

        /// <summary>Sends CONNECT and returns the CONNACK return code.</summary>
        public int Connect(string clientId, bool cleanSession = true, ushort keepAlive = 60)
        {
            SendConnect(clientId, cleanSession, keepAlive);
            byte[] connack = ReadPacket();
            Assert.Equal(0x20, connack[0]);
            return connack[3];
        }

        public void SendConnect(string clientId, bool cleanSession = true, ushort keepAlive = 60)
        {
            byte[] id = Encoding.UTF8.GetBytes(clientId);
            byte[] body = new byte[10 + 2 + id.Length];
            byte[] name = { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, (byte)(cleanSession ? 2 : 0), (byte)(keepAlive >> 8), (byte)keepAlive };
            name.CopyTo(body, 0);
            body[10] = (byte)(id.Length >> 8);
            body[11] = (byte)id.Length;
            id.CopyTo(body, 12);
            Send(0x10, body);
        }

        /// <summary>Subscribes and returns the granted QoS (or 0x80).</summary>
        public int Subscribe(string filter, int qos, ushort packetId = 1)
        {
            byte[] f = Encoding.UTF8.GetBytes(filter);
            byte[] body = new byte[2 + 2 + f.Length + 1];
            body[0] = (byte)(packetId >> 8);
            body[1] = (byte)packetId;
            body[2] = (byte)(f.Length >> 8);
            body[3] = (byte)f.Length;
            f.CopyTo(body, 4);
            body[4 + f.Length] = (byte)qos;
            Send(0x82, body);
            byte[] suback = ReadPacket();
            Assert.Equal(0x90, suback[0]);
            return suback[suback.Length - 1];
        }

        public void Publish(string topic, byte[] payload, int qos, ushort packetId = 0)
        {
            byte[] t = Encoding.UTF8.GetBytes(topic);
            int idLength = qos > 0 ? 2 : 0;
            byte[] body = new byte[2 + t.Length + idLength + payload.Length];
            body[0] = (byte)(t.Length >> 8);
            body[1] = (byte)t.Length;
            t.CopyTo(body, 2);
            if (qos > 0)
            {
                body[2 + t.Length] = (byte)(packetId >> 8);
                body[3 + t.Length] = (byte)packetId;
            }

            payload.CopyTo(body, 2 + t.Length + idLength);
            Send((byte)(0x30 | (qos << 1)), body);
        }

        public void Disconnect()
        {
            Send(0xE0, new byte[0]);
        }

        public void Send(byte typeAndFlags, byte[] body)
        {
            byte[] packet = new byte[1 + 4 + body.Length];
            packet[0] = typeAndFlags;
            int n = 1;
            int remaining = body.Length;
            do
            {
                byte b = (byte)(remaining % 128);
                remaining /= 128;
                packet[n++] = remaining > 0 ? (byte)(b | 0x80) : b;
            }
            while (remaining > 0);
            body.CopyTo(packet, n);
            SendAll(packet, 0, n + body.Length);
        }

        public void SendAll(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                int sent = Socket.Send(data, offset, count, SocketFlags.None);
                offset += sent;
                count -= sent;
            }
        }

        /// <summary>One whole packet (fixed header included); fails the test if none comes in time.</summary>
        public byte[] ReadPacket()
        {
            return ReadPacket(Patience) ?? throw new Xunit.Sdk.XunitException("no packet within " + Patience + " (connection closed or silent)");
        }

        /// <summary>One whole packet, or null when the connection closed or nothing came in time.</summary>
        public byte[] ReadPacket(TimeSpan timeout)
        {
            Socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            try
            {
                byte[] first = new byte[1];
                if (!ReadExactly(first, 0, 1))
                {
                    return null;
                }

                byte[] header = new byte[5];
                header[0] = first[0];
                int remaining = 0, multiplier = 1, headerLength = 1;
                do
                {
                    if (headerLength == header.Length || !ReadExactly(header, headerLength, 1))
                    {
                        return null;
                    }

                    remaining += (header[headerLength] & 0x7F) * multiplier;
                    multiplier *= 128;
                }
                while ((header[headerLength++] & 0x80) != 0);

                byte[] packet = new byte[headerLength + remaining];
                Array.Copy(header, packet, headerLength);
                int bodyStart = headerLength;
                return ReadExactly(packet, bodyStart, remaining) ? packet : null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock
                || e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return null;
            }
        }

        /// <summary>True when the broker closed the connection (end of stream) within the timeout.</summary>
        public bool ClosedByBroker(TimeSpan timeout)
        {
            Socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            byte[] b = new byte[256];
            try
            {
                while (true)
                {
                    int n = Socket.Receive(b);
                    if (n == 0)
                    {
                        return true;
                    }
                }
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode == SocketError.ConnectionReset;
            }
        }

        private bool ReadExactly(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int n = Socket.Receive(buffer, offset, count, SocketFlags.None);
                if (n == 0)
                {
                    return false;
                }

                offset += n;
                count -= n;
            }

            return true;
        }

        public void Dispose()
        {
            Socket.Dispose();
        }
    }
}
