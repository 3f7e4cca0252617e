using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The acknowledgements of the QoS flows (4.3).
    /// Outbound (broker to client): PUBACK ends a QoS 1 delivery; PUBREC moves a QoS 2 delivery on (the message
    /// is released, PUBREL sent); PUBCOMP ends it. A freed in-flight slot lets the session's queue move up.
    /// Inbound (client to broker): PUBREL releases a remembered QoS 2 packet id and is answered with PUBCOMP.
    /// Acks for unknown packet ids are ignored, except that PUBREC and PUBREL are still answered (PUBREL,
    /// PUBCOMP), as Mosquitto does, so a client that lost track can finish its flow.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleAck(int c, int offset, FixedHeader h)
        {
            ushort packetId;
            DecodeResult r = AckPacket.Decode(_connections.Rx, offset, h, out packetId);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            int s = _connections.Session(c);
            switch (h.Type)
            {
                case PacketType.Puback:
                    Acknowledged(s, packetId, Inflight.AwaitPuback);
                    return;
                case PacketType.Pubrec:
                    Pubrec(c, s, packetId);
                    return;
                case PacketType.Pubcomp:
                    Acknowledged(s, packetId, Inflight.AwaitPubcomp);
                    return;
                default:
                    _incoming.Remove(s, packetId);
                    Replied(c, WriteAck(c, PacketType.Pubcomp, packetId));
                    return;
            }
        }

        /// <summary>PUBACK or PUBCOMP: the delivery is complete.</summary>
        private void Acknowledged(int s, ushort packetId, byte expected)
        {
            int slot = _inflight.Find(s, packetId);
            if (slot < 0 || _inflight.State(slot) != expected)
            {
                return;
            }

            int message = _inflight.Message(slot);
            if (message >= 0)
            {
                _store.Release(message);
            }

            _inflight.Remove(slot);
            Pump(s);
        }

        private void Pubrec(int c, int s, ushort packetId)
        {
            int slot = _inflight.Find(s, packetId);
            if (slot >= 0)
            {
                byte state = _inflight.State(slot);
                if (state == Inflight.AwaitPuback)
                {
                    // PUBREC for a QoS 1 delivery: not a flow this id is in. Ignore it.
                    return;
                }

                if (state == Inflight.AwaitPubrec)
                {
                    _store.Release(_inflight.Message(slot));
                    _inflight.ToAwaitPubcomp(slot);
                    _counters.StoredMessages = _store.Count;
                }

                // Room for it was checked before the PUBREC was taken; should that ever fail, Pump sends it later.
                _inflight.SetPending(slot, !WriteAck(c, PacketType.Pubrel, packetId));
                return;
            }

            Replied(c, WriteAck(c, PacketType.Pubrel, packetId));
        }
    }
}
