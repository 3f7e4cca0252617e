using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The acknowledgements of the QoS flows (4.3).
    /// Outbound (broker to client): PUBACK ends a QoS 1 delivery; PUBREC moves a QoS 2 delivery on (the message
    /// is released, PUBREL sent); PUBCOMP ends it. A freed in-flight slot lets the session's queue move up.
    /// Inbound (client to broker): PUBREL releases a remembered QoS 2 packet id and is answered with PUBCOMP.
    /// Acks for unknown packet ids are ignored, except that PUBREC and PUBREL are still answered (PUBREL,
    /// PUBCOMP), as Mosquitto does, so a client that lost track can finish its flow. An ack of the wrong kind
    /// for an id in flight (PUBREC or PUBCOMP for a QoS 1 delivery, PUBACK for a QoS 2 one, PUBCOMP before
    /// PUBREC) closes the connection, as Mosquitto's db__message_delete_outgoing/update_outgoing do: the client
    /// and the broker no longer agree on the flow ([MQTT-4.3.2], [MQTT-4.3.3]).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleAck(int c, int offset, FixedHeader h)
        {
            ushort packetId;
            DecodeResult r = AckPacket.Decode(_connections.Rx ?? _connections.RxArray(c), offset, h, out packetId);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            int s = _connections.Session(c);
            // An ack is the subscriber taking something: its stall clock starts over.
            _holds.SetProgress(c, _now);
            _roomFreed = true;
            switch (h.Type)
            {
                case PacketType.Puback:
                    Acknowledged(c, s, packetId, Deliveries.AwaitPuback);
                    return;
                case PacketType.Pubrec:
                    Pubrec(c, s, packetId);
                    return;
                case PacketType.Pubcomp:
                    Acknowledged(c, s, packetId, Deliveries.AwaitPubcomp);
                    return;
                default:
                    if (_incoming.Remove(s, packetId) && _store != null)
                    {
                        _store.IncomingRemoved(s, packetId);
                    }

                    Replied(c, WriteAck(c, PacketType.Pubcomp, packetId));
                    return;
            }
        }

        /// <summary>An ack of the wrong kind for an id in flight: the flows are out of step, so the connection ends.</summary>
        private void WrongAck(int c)
        {
            _counters.WrongAcks++;
            Unexpected(c);
        }

        /// <summary>PUBACK or PUBCOMP: the delivery is complete.</summary>
        private void Acknowledged(int c, int s, ushort packetId, byte expected)
        {
            int e = _deliveries.Find(s, packetId);
            if (e < 0)
            {
                return;
            }

            if (_deliveries.State(e) != expected)
            {
                WrongAck(c);
                return;
            }

            int message = _deliveries.Message(e);
            if (message >= 0)
            {
                _pool.Release(message);
            }

            _deliveries.RemoveInflight(s, e);
            Pump(s);
        }

        private void Pubrec(int c, int s, ushort packetId)
        {
            int e = _deliveries.Find(s, packetId);
            if (e >= 0)
            {
                byte state = _deliveries.State(e);
                if (state == Deliveries.AwaitPuback)
                {
                    // PUBREC for a QoS 1 delivery: not a flow this id is in.
                    WrongAck(c);
                    return;
                }

                if (state == Deliveries.AwaitPubrec)
                {
                    _pool.Release(_deliveries.Message(e));
                    _deliveries.ToAwaitPubcomp(e);
                }

                // Room for it was checked before the PUBREC was taken; should that ever fail, Pump sends it later.
                _deliveries.SetPending(e, !WriteAck(c, PacketType.Pubrel, packetId));
                return;
            }

            Replied(c, WriteAck(c, PacketType.Pubrel, packetId));
        }
    }
}
