using System;
using Device.Protocol;
using Engine = Device.Broker.Broker;

namespace Device.Tests.Host.Broker
{
    /// <summary>
    /// A client end for measurements: drives the engine through the seam like the socket transport and answers
    /// the QoS flows itself (PUBACK, PUBREC then PUBCOMP), with every buffer allocated up front so that the
    /// harness adds no allocations of its own to what is measured.
    /// </summary>
    internal sealed class Peer
    {
        public readonly int Connection;
        public long Received;
        public long ReceivedQos0;
        public long ReceivedQos1;
        public long ReceivedQos2;
        public long Completed;

        private readonly Engine _engine;
        private readonly byte[] _inbox = new byte[1 << 20];
        private readonly byte[] _reply = new byte[8];
        private int _inboxEnd;

        public Peer(Engine engine, long now)
        {
            _engine = engine;
            Connection = engine.Accept(now);
            if (Connection < 0)
            {
                throw new InvalidOperationException("no slot");
            }
        }

        public void Send(byte[] bytes, int offset, int count, long now)
        {
            while (count > 0)
            {
                byte[] buffer = _engine.ReceiveBuffer(Connection, out int at, out int free);
                if (free == 0)
                {
                    throw new InvalidOperationException("engine receive buffer full");
                }

                int n = Math.Min(free, count);
                Array.Copy(bytes, offset, buffer, at, n);
                _engine.Received(Connection, n, now);
                offset += n;
                count -= n;
            }
        }

        /// <summary>Reads what the engine sent and answers it; returns whether anything arrived.</summary>
        public bool Service(long now)
        {
            bool any = false;
            while (true)
            {
                int n = _engine.PendingOutput(Connection, out byte[] buffer, out int offset);
                if (n == 0)
                {
                    break;
                }

                Array.Copy(buffer, offset, _inbox, _inboxEnd, n);
                _inboxEnd += n;
                _engine.Sent(Connection, n);
                any = true;
            }

            int pos = 0;
            while (pos < _inboxEnd)
            {
                DecodeResult r = Framing.ReadHeader(_inbox, pos, _inboxEnd - pos, 0, out FixedHeader h);
                if (r != DecodeResult.Ok || h.TotalLength > _inboxEnd - pos)
                {
                    break;
                }

                Answer(pos, h, now);
                pos += h.TotalLength;
            }

            Array.Copy(_inbox, pos, _inbox, 0, _inboxEnd - pos);
            _inboxEnd -= pos;
            return any;
        }

        private void Answer(int at, FixedHeader h, long now)
        {
            switch (h.Type)
            {
                case PacketType.Publish:
                    PublishPacket.Decode(_inbox, at, h, out PublishView v);
                    Received++;
                    if (v.Qos == 0)
                    {
                        ReceivedQos0++;
                    }
                    else if (v.Qos == 1)
                    {
                        ReceivedQos1++;
                        Reply(PacketType.Puback, v.PacketId, now);
                    }
                    else
                    {
                        ReceivedQos2++;
                        Reply(PacketType.Pubrec, v.PacketId, now);
                    }

                    return;
                case PacketType.Pubrec:
                    AckPacket.Decode(_inbox, at, h, out ushort rec);
                    Reply(PacketType.Pubrel, rec, now);
                    return;
                case PacketType.Pubrel:
                    AckPacket.Decode(_inbox, at, h, out ushort rel);
                    Reply(PacketType.Pubcomp, rel, now);
                    return;
                case PacketType.Puback:
                case PacketType.Pubcomp:
                    Completed++;
                    return;
                default:
                    return;
            }
        }

        private void Reply(byte type, ushort packetId, long now)
        {
            int n = AckPacket.Encode(_reply, 0, _reply.Length, type, packetId);
            Send(_reply, 0, n, now);
        }
    }

    /// <summary>Prebuilt packets whose packet id can be patched in place.</summary>
    internal sealed class Outgoing
    {
        public readonly byte[] Bytes;
        public readonly int Length;
        private readonly int _packetIdAt;

        public Outgoing(string topic, int payloadLength, byte qos)
        {
            byte[] t = System.Text.Encoding.UTF8.GetBytes(topic);
            byte[] p = new byte[payloadLength];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = (byte)('a' + i % 26);
            }

            Bytes = new byte[payloadLength + t.Length + 16];
            Length = PublishPacket.Encode(Bytes, 0, Bytes.Length, qos, false, false, (ushort)(qos > 0 ? 1 : 0), t, 0, t.Length, p, 0, p.Length);
            Framing.ReadHeader(Bytes, 0, Length, 0, out FixedHeader h);
            _packetIdAt = qos > 0 ? h.HeaderLength + 2 + t.Length : -1;
        }

        public void SetPacketId(ushort id)
        {
            if (_packetIdAt >= 0)
            {
                Bytes[_packetIdAt] = (byte)(id >> 8);
                Bytes[_packetIdAt + 1] = (byte)id;
            }
        }
    }

    internal static class Packets
    {
        public static byte[] Connect(string clientId, bool clean)
        {
            return Connect(clientId, clean, null, null);
        }

        public static byte[] Connect(string clientId, bool clean, string user, string password)
        {
            byte[] id = System.Text.Encoding.UTF8.GetBytes(clientId);
            byte[] u = System.Text.Encoding.UTF8.GetBytes(user ?? "");
            byte[] p = System.Text.Encoding.UTF8.GetBytes(password ?? "");
            byte[] source = new byte[id.Length + u.Length + p.Length];
            Array.Copy(id, 0, source, 0, id.Length);
            Array.Copy(u, 0, source, id.Length, u.Length);
            Array.Copy(p, 0, source, id.Length + u.Length, p.Length);
            ConnectView v = new ConnectView();
            v.ProtocolLevel = ProtocolLevel.V311;
            v.CleanSession = clean;
            // The clock advances 1 ms per message: no client must reach 1.5 x keep-alive during a long run.
            v.KeepAlive = 3600;
            v.ClientId = new Slice(0, id.Length);
            v.HasUsername = user != null;
            v.Username = new Slice(id.Length, u.Length);
            v.HasPassword = password != null;
            v.Password = new Slice(id.Length + u.Length, p.Length);
            byte[] buffer = new byte[256];
            int n = ConnectPacket.Encode(buffer, 0, buffer.Length, ref v, source);
            Array.Resize(ref buffer, n);
            return buffer;
        }

        public static byte[] Subscribe(string filter, byte qos)
        {
            byte[] buffer = new byte[256];
            int n = SubscribePacket.Encode(buffer, 0, buffer.Length, 1, new[] { System.Text.Encoding.UTF8.GetBytes(filter) }, new[] { qos }, 1);
            Array.Resize(ref buffer, n);
            return buffer;
        }
    }
}
