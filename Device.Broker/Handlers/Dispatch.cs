using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The packet loop: frames what the transport delivered, holds a packet back while its answer would not fit
    /// the transmit buffer or (a PUBLISH) while its message cannot be placed (Flow/BackPressure.cs), and hands
    /// each packet to its handler. Behind a held packet, acknowledgements are still taken.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void Process(int c)
        {
            bool held = false;
            while (true)
            {
                held = false;
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
                FixedHeader h = _header;
                DecodeResult r = Framing.ReadHeader(_connections.Rx ?? _connections.RxArray(c), start, count, _maxPacket, h);
                if (r == DecodeResult.NeedMore)
                {
                    break;
                }

                if (r == DecodeResult.Ok && h.Type != PacketType.Publish && h.TotalLength > _maxControl)
                {
                    // Grown buffers: only a PUBLISH may be large; a huge SUBSCRIBE or CONNECT is refused like any oversized packet.
                    r = DecodeResult.PacketTooLarge;
                }

                if (r != DecodeResult.Ok)
                {
                    if (r == DecodeResult.PacketTooLarge)
                    {
                        _counters.PacketsTooLarge++;
                    }

                    Violation(c, r);
                    return;
                }

                if (h.TotalLength > count)
                {
                    break;
                }

                // Back-pressure: a packet is only taken when its answer fits. The rest waits in the receive
                // buffer (and then in the socket) until Sent frees room.
                // A QoS 0 PUBLISH (most traffic) needs no room: no call for it.
                int room = h.Type == PacketType.Publish && (h.Flags & 0x06) == 0 ? 0 : ReplyRoom(h);
                if (room > 0 && !_connections.TxCanClaim(c, room))
                {
                    if (TakeAcksBehind(c, start + h.TotalLength))
                    {
                        // An ack behind it may have drained what blocked it (its own PUBREL frees a QoS 2 id).
                        continue;
                    }

                    break;
                }

                if (!Dispatch(c, start, h))
                {
                    held = true;
                    Hold(c);
                    if (TakeAcksBehind(c, start + h.TotalLength))
                    {
                        continue;
                    }

                    break;
                }

                _connections.RxConsume(c, h.TotalLength);
            }

            // Unhold written out (no call per packet: it paid for HandlePublish's Idle check, RoutingCostTests).
            if (!held && _holds.IsHeld(c))
            {
                _holds.Release(c);
            }

            if (_connections.IsValid(c))
            {
                _connections.RxCompact(c);
            }
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

        /// <summary>Hands one packet to its handler; false when it was not taken (a held PUBLISH).</summary>
        private bool Dispatch(int c, int offset, FixedHeader h)
        {
            byte state = _connections.State(c);
            if (state == Connections.AwaitConnect && h.Type != PacketType.Connect)
            {
                // [MQTT-3.1.0-1]: the first packet must be CONNECT.
                Unexpected(c);
                return true;
            }

            _connections.SetLastPacket(c, _now);
            if ((_connections.Level(c) & 0x3F) == ProtocolLevel.V31
                && (h.Type == PacketType.Pubrel || h.Type == PacketType.Subscribe || h.Type == PacketType.Unsubscribe))
            {
                // MQTT 3.1 gave these packets QoS 1 in the header and let DUP be set on a resend (a PUBREL sent
                // again after a reconnect carries DUP); Mosquitto checks their flags only from 3.1.1 on
                // ([MQTT-3.6.1-1] and its kin are 3.1.1 rules). Read them as the 3.1.1 form the decoders expect.
                h.Flags = 0x02;
            }

            switch (h.Type)
            {
                case PacketType.Connect:
                    if (state == Connections.Connected)
                    {
                        // [MQTT-3.1.0-2]: a second CONNECT is a protocol violation.
                        Unexpected(c);
                        return true;
                    }

                    HandleConnect(c, offset, h);
                    return true;
                case PacketType.Publish:
                    return HandlePublish(c, offset, h);
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                    HandleAck(c, offset, h);
                    return true;
                case PacketType.Subscribe:
                    HandleSubscribe(c, offset, h);
                    return true;
                case PacketType.Unsubscribe:
                    HandleUnsubscribe(c, offset, h);
                    return true;
                case PacketType.Pingreq:
                    HandlePing(c, offset, h);
                    return true;
                case PacketType.Disconnect:
                    HandleDisconnect(c, offset, h);
                    return true;
                default:
                    // CONNACK, SUBACK, UNSUBACK, PINGRESP only travel from server to client.
                    Unexpected(c);
                    return true;
            }
        }
    }
}
