using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using System.Text;
using System;
using Device.Protocol;

namespace LoadGen
{
    /// <summary>
    /// One MQTT 3.1.1 client connection, with a receive buffer that frames packets in place (Framing.ReadHeader)
    /// and a transmit buffer that collects many packets per send() call. The load generator must stay cheaper
    /// than the brokers it drives: batching syscalls and never allocating per message is how. Set-up (CONNECT,
    /// SUBSCRIBE) blocks; the run itself is non-blocking, driven by <see cref="Epoll"/>.
    /// </summary>
    public sealed class Conn : IDisposable
    {
        public const int BufferSize = 256 * 1024;

        private readonly Socket socket;
        public readonly byte[] Rx = new byte[BufferSize];

        /// <summary>The header Next fills, reused for every packet (the codec decodes into caller-owned instances).</summary>
        private readonly FixedHeader _header = new FixedHeader();

        /// <summary>What a subscriber decodes each PUBLISH into.</summary>
        public readonly PublishView Publish = new PublishView();
        private int rxStart;
        private int rxEnd;
        public readonly byte[] Tx = new byte[BufferSize];
        public int TxLength;

        /// <summary>Bytes of Tx already handed to the kernel; the rest waits for the socket to become writable.</summary>
        private int txSent;

        private Conn(Socket socket)
        {
            this.socket = socket;
        }

        /// <summary>Connects with clean session and waits for CONNACK; throws if refused or silent.</summary>
        public static Conn Open(IPEndPoint endPoint, string clientId, int timeoutMs)
        {
            return Open(endPoint, clientId, timeoutMs, true);
        }

        /// <summary>As Open, with CleanSession as given (0: a persistent session, journaled by a broker with persistence on).</summary>
        public static Conn Open(IPEndPoint endPoint, string clientId, int timeoutMs, bool cleanSession)
        {
            var s = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.NoDelay = true;
            s.ReceiveBufferSize = BufferSize;
            s.SendBufferSize = BufferSize;
            s.Connect(endPoint);
            var c = new Conn(s);
            byte[] id = Encoding.ASCII.GetBytes(clientId);
            var v = new ConnectView
            {
                ProtocolLevel = ProtocolLevel.V311,
                CleanSession = cleanSession,
                KeepAlive = 600,
                ClientIdOffset = 0,
                ClientIdLength = id.Length,
            };
            c.TxLength = ConnectPacket.Encode(c.Tx, 0, c.Tx.Length, v, id);
            c.Flush();
            int off = c.Expect(PacketType.Connack, timeoutMs, out FixedHeader h);
            var ack = new ConnackView();
            ConnackPacket.Decode(c.Rx, off, h, ack);
            c.Consume(h);
            if (ack.ReturnCode != ConnectReturnCode.Accepted)
            {
                c.Dispose();
                throw new InvalidOperationException("CONNACK " + ack.ReturnCode + " for " + clientId);
            }

            return c;
        }

        public void Subscribe(string filter, byte qos, int timeoutMs)
        {
            TxLength = SubscribePacket.Encode(Tx, 0, Tx.Length, 1, new[] { Encoding.ASCII.GetBytes(filter) }, new[] { qos }, 1);
            Flush();
            int off = Expect(PacketType.Suback, timeoutMs, out FixedHeader h);
            var v = new SubackView();
            SubackPacket.Decode(Rx, off, h, v);
            byte granted = Rx[v.ReturnCodesOffset];
            Consume(h);
            if (granted != qos)
            {
                throw new InvalidOperationException("SUBACK granted " + granted + " for QoS " + qos + " on " + filter);
            }
        }

        /// <summary>Sends DISCONNECT and closes; errors are ignored because the run is over either way.</summary>
        public void Disconnect()
        {
            try
            {
                Reserve(EmptyPacket.Size);
                TxLength += EmptyPacket.Encode(Tx, TxLength, TxFree, PacketType.Disconnect);
                Flush();
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }

            Dispose();
        }

        public void Dispose()
        {
            socket.Dispose();
        }

        public Socket Socket => socket;

        public void MakeNonBlocking()
        {
            socket.Blocking = false;
        }

        /// <summary>Free bytes left in the transmit buffer.</summary>
        public int TxFree => Tx.Length - TxLength;

        /// <summary>True while part of the transmit buffer waits for the socket to become writable.</summary>
        public bool TxPending => txSent < TxLength;

        /// <summary>Sends everything, waiting for the socket as needed (set-up, or a full buffer mid-run).</summary>
        public void Flush()
        {
            while (!FlushSome())
            {
                socket.Poll(100_000, SelectMode.SelectWrite);
            }
        }

        /// <summary>Sends what the socket takes now; returns true when nothing is left to send.</summary>
        public bool FlushSome()
        {
            while (txSent < TxLength)
            {
                int n = socket.Send(Tx, txSent, TxLength - txSent, SocketFlags.None, out SocketError err);
                if (err == SocketError.WouldBlock)
                {
                    return false;
                }

                if (err != SocketError.Success)
                {
                    throw new SocketException((int)err);
                }

                txSent += n;
            }

            txSent = TxLength = 0;
            return true;
        }

        /// <summary>Makes room for a packet of size bytes, moving unsent bytes to the front or, failing that, waiting.</summary>
        public void Reserve(int size)
        {
            if (TxFree >= size)
            {
                return;
            }

            if (txSent > 0)
            {
                Array.Copy(Tx, txSent, Tx, 0, TxLength - txSent);
                TxLength -= txSent;
                txSent = 0;
            }

            if (TxFree < size)
            {
                Flush();
            }
        }

        /// <summary>Non-blocking read of whatever the kernel has: bytes read, 0 when nothing; throws when the peer closed.</summary>
        public int TryReceive()
        {
            Compact();
            int n = socket.Receive(Rx, rxEnd, Rx.Length - rxEnd, SocketFlags.None, out SocketError err);
            if (err == SocketError.WouldBlock)
            {
                return 0;
            }

            if (err != SocketError.Success)
            {
                throw new SocketException((int)err);
            }

            if (n == 0)
            {
                throw new InvalidOperationException("broker closed the connection");
            }

            rxEnd += n;
            return n;
        }

        /// <summary>Blocking read for set-up: waits up to timeoutMs for data, returns the bytes read (0: none came).</summary>
        private int Receive(bool block, int timeoutMs)
        {
            if (!socket.Poll(block ? timeoutMs * 1000 : 0, SelectMode.SelectRead))
            {
                return 0;
            }

            Compact();
            int n = socket.Receive(Rx, rxEnd, Rx.Length - rxEnd, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException("broker closed the connection");
            }

            rxEnd += n;
            return n;
        }

        /// <summary>
        /// The next complete packet in the receive buffer, if any: its offset, header in h. The caller decodes
        /// it and then calls Consume(h) before asking for the next one.
        /// </summary>
        public bool Next(out int offset, out FixedHeader h)
        {
            offset = rxStart;
            h = _header;
            DecodeResult r = Framing.ReadHeader(Rx, rxStart, rxEnd - rxStart, Rx.Length, h);
            if (r == DecodeResult.NeedMore)
            {
                return false;
            }

            if (r != DecodeResult.Ok)
            {
                throw new InvalidOperationException("malformed packet from broker: " + r);
            }

            return rxEnd - rxStart >= h.TotalLength;
        }

        public void Consume(FixedHeader h)
        {
            rxStart += h.TotalLength;
        }

        public void AppendAck(byte type, ushort packetId)
        {
            Reserve(AckPacket.Size);
            TxLength += AckPacket.Encode(Tx, TxLength, TxFree, type, packetId);
        }

        private void Compact()
        {
            if (rxStart == rxEnd)
            {
                rxStart = rxEnd = 0;
            }
            else if (rxStart > 0 && Rx.Length - rxEnd < Rx.Length / 4)
            {
                Array.Copy(Rx, rxStart, Rx, 0, rxEnd - rxStart);
                rxEnd -= rxStart;
                rxStart = 0;
            }
        }

        private int Expect(byte type, int timeoutMs, out FixedHeader h)
        {
            long deadline = Stopwatch.GetTimestamp() + timeoutMs * Stopwatch.Frequency / 1000;
            while (true)
            {
                if (Next(out int off, out h))
                {
                    if (h.Type != type)
                    {
                        throw new InvalidOperationException("expected packet type " + type + ", got " + h.Type);
                    }

                    return off;
                }

                int left = (int)((deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
                if (left <= 0)
                {
                    throw new TimeoutException("no packet type " + type + " from broker");
                }

                Receive(true, left);
            }
        }
    }
}
