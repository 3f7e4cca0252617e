using Device.Protocol;

namespace Device.Client
{
    public sealed partial class MqttClient
    {
        /// <summary>
        /// Incoming QoS 2 packet ids between PUBREC and PUBREL (method B of 4.3.3: deliver at once, remember the id
        /// so a redelivered PUBLISH is not delivered twice). Beyond this many at once a message is still
        /// delivered and acknowledged, only no longer protected against a duplicate.
        /// </summary>
        private const int InboundQos2Capacity = 32;

        private readonly ushort[] _inboundQos2;
        private int _inboundQos2Count;

        /// <summary>
        /// count new bytes were written at ReceiveBuffer[ReceiveCount..]: every whole packet among them is
        /// processed. Processing pauses while the transmit buffer cannot take an acknowledgement; call
        /// Received(0, _now) after Sent to resume.
        /// </summary>
        public void Received(int count, long nowMs)
        {
            Received(count, nowMs, null);
        }

        /// <summary>
        /// As Received(count, nowMs), and before each PUBLISH asks gate (when not null): false stops processing before
        /// that PUBLISH, which stays in ReceiveBuffer unanswered; call again (Received(0, now, gate)) once it can be taken.
        /// </summary>
        public void Received(int count, long nowMs, IPublishGate gate)
        {
            _now = nowMs;
            if (count > 0)
            {
                _rxCount += count;
            }

            int pos = 0;
            FixedHeader h = _header;
            while (_state != ClientState.Disconnected)
            {
                DecodeResult r = Framing.ReadHeader(_rx, pos, _rxCount - pos, _rx.Length, h);
                if (r == DecodeResult.NeedMore || (r == DecodeResult.Ok && _rxCount - pos < h.TotalLength))
                {
                    break;
                }

                if (r != DecodeResult.Ok)
                {
                    LastDecodeResult = r;
                    Fail(r == DecodeResult.PacketTooLarge ? ClientError.PacketTooLarge : ClientError.MalformedPacket);
                    break;
                }

                // Every answer to one packet is at most one ack: with that much room, no answer is ever lost.
                if (_tx.Length - _txCount < AckSize)
                {
                    break;
                }

                if (gate != null && h.Type == PacketType.Publish && _state == ClientState.Connected && !gate.TakesPublish(this))
                {
                    break;
                }

                if (TraceEnabled && Listener != null)
                {
                    Listener.PacketTraced(this, false, _rx, pos, h);
                }

                int at = pos;
                pos += h.TotalLength;
                Dispatch(at, h);
            }

            if (_state == ClientState.Disconnected)
            {
                _rxCount = 0;
                return;
            }

            if (pos > 0)
            {
                System.Array.Copy(_rx, pos, _rx, 0, _rxCount - pos);
                _rxCount -= pos;
            }

            FlushResends();
        }

        private void Dispatch(int at, FixedHeader h)
        {
            if (_state == ClientState.Connecting)
            {
                if (h.Type == PacketType.Connack)
                {
                    OnConnack(at, h);
                }
                else
                {
                    // The server's first packet must be CONNACK ([MQTT-3.2.0-1]).
                    Fail(ClientError.UnexpectedPacket);
                }

                return;
            }

            switch (h.Type)
            {
                case PacketType.Publish:
                    OnPublish(at, h);
                    return;
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                case PacketType.Unsuback:
                    OnAck(at, h);
                    return;
                case PacketType.Suback:
                    OnSuback(at, h);
                    return;
                case PacketType.Pingresp:
                    if (Check(EmptyPacket.Decode(_rx, at, h)))
                    {
                        _pingOutstanding = false;
                    }

                    return;
                default:
                    // CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT or a second CONNACK: not a server's to send.
                    Fail(ClientError.UnexpectedPacket);
                    return;
            }
        }

        private void OnConnack(int at, FixedHeader h)
        {
            ConnackView v = _connackView;
            if (!Check(ConnackPacket.Decode(_rx, at, h, v)))
            {
                return;
            }

            if (v.ReturnCode != ConnectReturnCode.Accepted)
            {
                if (Listener != null)
                {
                    Listener.Connected(this, v.ReturnCode, false);
                }

                Fail(ClientError.Refused);
                return;
            }

            _state = ClientState.Connected;
            // 3.1 has no session-present flag: a persistent 3.1 session is assumed to be there.
            bool resume = !_cleanSession && (_protocolLevel == ProtocolLevel.V31 || v.SessionPresent);
            if (resume)
            {
                for (int i = 0; i < _inflight.Capacity; i++)
                {
                    _inflight.Resend[i] = InflightTable.IsPublish(_inflight.Kinds[i]);
                }

                // Redeliveries first, so they keep their place ahead of what the application sends next (4.6).
                FlushResends();
            }
            else if (RepublishOnSessionLoss)
            {
                // Session present 0: the server holds no state for us ([MQTT-3.2.2-1], [MQTT-3.2.2-2]), so nothing we
                // had in flight is known to it and its packet ids are free on its side. Each QoS 1/2 message goes out
                // again as a PUBLISH with its old id, oldest first (4.6): the old ids cannot clash, as the server has
                // none. DUP stays set ([MQTT-3.3.1-1]): the earlier attempt may well have reached subscribers.
                for (int i = 0; i < _inflight.Capacity; i++)
                {
                    byte kind = _inflight.Kinds[i];
                    if (kind == InflightTable.AwaitPubcomp)
                    {
                        // Past PUBREC: a PUBREL now would name an id the server does not hold, and it answers an
                        // unknown PUBREL with PUBCOMP ([MQTT-4.3.3-2]) having delivered nothing. Whether the lost server
                        // had passed the message on (Mosquitto does it at PUBREL) cannot be known any more, so the
                        // exactly-once handshake of 4.3.3 cannot be finished: it starts again from PUBLISH, which may
                        // duplicate (counted by the subscriber) but never loses what the bridge acknowledged.
                        _inflight.Kinds[i] = InflightTable.AwaitPubrec;
                    }

                    _inflight.Resend[i] = InflightTable.IsPublish(_inflight.Kinds[i]);
                }

                // The server's own QoS 2 exchanges went with its session: an id it sends now is a new message.
                _inboundQos2Count = 0;
                FlushResends();
            }
            else
            {
                // A client whose server lost the session discards its own (3.2.2.2).
                DropSession();
            }

            if (Listener != null)
            {
                Listener.Connected(this, ConnectReturnCode.Accepted, v.SessionPresent);
            }
        }

        private void OnPublish(int at, FixedHeader h)
        {
            PublishView v = _publishView;
            if (!Check(PublishPacket.Decode(_rx, at, h, v)))
            {
                return;
            }

            // The acknowledgement is queued before the application sees the message, so whatever the
            // application queues from its callback cannot take the room the ack was promised.
            bool deliver = true;
            if (v.Qos == 1)
            {
                Emit(AckPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Puback, v.PacketId));
            }
            else if (v.Qos == 2)
            {
                Emit(AckPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Pubrec, v.PacketId));
                deliver = RememberInbound(v.PacketId);
            }

            if (deliver && Listener != null)
            {
                Listener.MessageReceived(this, _rx, v);
            }
        }

        private void OnAck(int at, FixedHeader h)
        {
            ushort id;
            if (!Check(AckPacket.Decode(_rx, at, h, out id)))
            {
                return;
            }

            int slot;
            switch (h.Type)
            {
                case PacketType.Puback:
                    Finish(_inflight.Find(id, InflightTable.AwaitPuback), id);
                    return;
                case PacketType.Pubrec:
                    slot = _inflight.Find(id, InflightTable.AwaitPubrec);
                    if (slot < 0)
                    {
                        // A repeated PUBREC: the PUBREL may have been lost, send it again.
                        slot = _inflight.Find(id, InflightTable.AwaitPubcomp);
                    }

                    if (slot >= 0)
                    {
                        _inflight.Kinds[slot] = InflightTable.AwaitPubcomp;
                        _inflight.SentAt[slot] = _now;
                        _inflight.Resend[slot] = false;
                        Emit(AckPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Pubrel, id));
                    }

                    return;
                case PacketType.Pubrel:
                    ForgetInbound(id);
                    // Answered even for an unknown id: the PUBCOMP may be what the server missed ([MQTT-4.3.3-2]).
                    Emit(AckPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Pubcomp, id));
                    return;
                case PacketType.Pubcomp:
                    Finish(_inflight.Find(id, InflightTable.AwaitPubcomp), id);
                    return;
                default:
                    slot = _inflight.Find(id, InflightTable.AwaitUnsuback);
                    if (slot >= 0)
                    {
                        _inflight.Release(slot);
                        if (Listener != null)
                        {
                            Listener.Unsubscribed(this, id);
                        }
                    }

                    return;
            }
        }

        private void OnSuback(int at, FixedHeader h)
        {
            SubackView v = _subackView;
            if (!Check(SubackPacket.Decode(_rx, at, h, v)))
            {
                return;
            }

            int slot = _inflight.Find(v.PacketId, InflightTable.AwaitSuback);
            if (slot < 0)
            {
                return;
            }

            // One return code per requested filter ([MQTT-3.8.4-5]); anything else cannot be matched up.
            if (v.ReturnCodesLength != _inflight.Lengths[slot])
            {
                Fail(ClientError.UnexpectedPacket);
                return;
            }

            _inflight.Release(slot);
            if (Listener != null)
            {
                Listener.Subscribed(this, v.PacketId, _rx, v.ReturnCodesOffset, v.ReturnCodesLength);
            }
        }

        /// <summary>Ends an outgoing publish's exchange; an unknown id (a stale or repeated ack) is ignored.</summary>
        private void Finish(int slot, ushort id)
        {
            if (slot < 0)
            {
                return;
            }

            _inflight.Release(slot);
            if (Listener != null)
            {
                Listener.PublishFinished(this, id, true);
            }
        }

        private bool Check(DecodeResult r)
        {
            if (r == DecodeResult.Ok)
            {
                return true;
            }

            LastDecodeResult = r;
            Fail(ClientError.MalformedPacket);
            return false;
        }

        /// <summary>True when the id was not awaiting PUBREL yet, i.e. the message is new and must be delivered.</summary>
        private bool RememberInbound(ushort id)
        {
            for (int i = 0; i < _inboundQos2Count; i++)
            {
                if (_inboundQos2[i] == id)
                {
                    return false;
                }
            }

            if (_inboundQos2Count < _inboundQos2.Length)
            {
                _inboundQos2[_inboundQos2Count++] = id;
            }

            return true;
        }

        private void ForgetInbound(ushort id)
        {
            for (int i = 0; i < _inboundQos2Count; i++)
            {
                if (_inboundQos2[i] == id)
                {
                    _inboundQos2[i] = _inboundQos2[--_inboundQos2Count];
                    return;
                }
            }
        }
    }
}
