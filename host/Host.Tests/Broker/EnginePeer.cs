using System;
using Device.Broker;
using Device.Protocol;

namespace Host.Tests
{
    /// <summary>
    /// A client end for measurements: drives the engine through the seam like the socket transport and answers
    /// the QoS flows itself (PUBACK, PUBREC then PUBCOMP), with every buffer allocated up front so that the
    /// harness adds no allocations of its own to what is measured.
    /// </summary>
    internal sealed class EnginePeer
    {
        public readonly int Connection;
        public long Received;
        public long ReceivedQos0;
        public long ReceivedQos1;
        public long ReceivedQos2;
        public long Completed;

        private readonly BrokerEngine _engine;
        private readonly byte[] _inbox = new byte[1 << 20];
        private readonly byte[] _reply = new byte[8];
        private readonly FixedHeader _header = new FixedHeader();
        private readonly PublishView _publish = new PublishView();
        private int _inboxEnd;

        public EnginePeer(BrokerEngine engine, long now)
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
                FixedHeader h = _header;
                DecodeResult r = Framing.ReadHeader(_inbox, pos, _inboxEnd - pos, 0, h);
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
                    PublishView v = _publish;
                    PublishPacket.Decode(_inbox, at, h, v);
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
}
