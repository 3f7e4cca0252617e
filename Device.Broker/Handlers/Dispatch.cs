using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The packet loop: frames what the transport delivered, holds a packet back while its answer would not fit
    /// the transmit buffer, and hands each packet to its handler.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void Process(int c)
        {
            byte[] rx = _connections.Rx;
            int maxPacketSize = _options.MaxPacketSize;
            FixedHeader h = _header;
            while (true)
            {
                byte state = _connections.State(c);
                if (state != Connections.AwaitConnect && state != Connections.Connected)
                {
                    return;
                }

                int count = _connections.RxCount(c);
                if (count == 0)
                {
                    break;
                }

                int start = _connections.RxStart(c);
                DecodeResult r = Framing.ReadHeader(rx, start, count, maxPacketSize, h);
                if (r == DecodeResult.NeedMore)
                {
                    break;
                }

                if (r != DecodeResult.Ok)
                {
                    Violation(c, r);
                    return;
                }

                int total = h.TotalLength;
                if (total > count)
                {
                    break;
                }

                // Back-pressure: a packet is only taken when its answer fits. The rest waits in the receive
                // buffer (and then in the socket) until Sent frees room. A QoS 0 PUBLISH needs none (no call for it).
                int room = h.Type == PacketType.Publish && (h.Flags & 0x06) == 0 ? 0 : ReplyRoom(h);
                if (room > 0 && !_connections.TxCanClaim(c, room))
                {
                    break;
                }

                Dispatch(c, state, start, h);
                _connections.RxConsume(c, total);
            }

            _connections.RxCompact(c);
        }

        /// <summary>The most a packet's immediate answer can take in the transmit buffer.</summary>
        private static int ReplyRoom(FixedHeader h)
        {
            switch (h.Type)
            {
                case PacketType.Connect:
                    return ConnackPacket.Size;
                case PacketType.Publish:
                    return ((h.Flags >> 1) & 0x03) > 0 ? AckPacket.Size : 0;
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Unsubscribe:
                    return AckPacket.Size;
                case PacketType.Subscribe:
                    // One SUBACK byte per entry of at least 3 bytes: never more than the SUBSCRIBE itself.
                    return h.TotalLength;
                case PacketType.Pingreq:
                    return EmptyPacket.Size;
                default:
                    return 0;
            }
        }

        private void Dispatch(int c, byte state, int offset, FixedHeader h)
        {
            if (state == Connections.AwaitConnect && h.Type != PacketType.Connect)
            {
                // [MQTT-3.1.0-1]: the first packet must be CONNECT.
                Unexpected(c);
                return;
            }

            _connections.SetLastPacket(c, _now);
            switch (h.Type)
            {
                case PacketType.Connect:
                    if (state == Connections.Connected)
                    {
                        // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation.
                        Unexpected(c);
                        return;
                    }

                    HandleConnect(c, offset, h);
                    return;
                case PacketType.Publish:
                    HandlePublish(c, offset, h);
                    return;
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                    HandleAck(c, offset, h);
                    return;
                case PacketType.Subscribe:
                    HandleSubscribe(c, offset, h);
                    return;
                case PacketType.Unsubscribe:
                    HandleUnsubscribe(c, offset, h);
                    return;
                case PacketType.Pingreq:
                    HandlePing(c, offset, h);
                    return;
                case PacketType.Disconnect:
                    HandleDisconnect(c, offset, h);
                    return;
                default:
                    // CONNACK, SUBACK, UNSUBACK, PINGRESP only travel from server to client.
                    Unexpected(c);
                    return;
            }
        }
    }
}
