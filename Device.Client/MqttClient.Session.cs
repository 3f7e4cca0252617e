using Device.Protocol;

namespace Device.Client
{
    public sealed partial class MqttClient
    {
        /// <summary>
        /// Queues the redeliveries that are due, oldest first, as far as the transmit buffer allows (the rest
        /// waits for the next Received or Tick). PUBLISH goes out again with DUP set ([MQTT-3.3.1-1]).
        /// </summary>
        private void FlushResends()
        {
            while (_state == ClientState.Connected)
            {
                int slot = _inflight.FirstResend();
                if (slot < 0)
                {
                    return;
                }

                byte kind = _inflight.Kinds[slot];
                if (kind == InflightTable.AwaitPubcomp)
                {
                    if (_tx.Length - _txCount < AckSize)
                    {
                        return;
                    }

                    Emit(AckPacket.Encode(_tx, _txCount, _tx.Length - _txCount, PacketType.Pubrel, _inflight.Ids[slot]));
                }
                else
                {
                    int len = _inflight.Lengths[slot];
                    if (_tx.Length - _txCount < len)
                    {
                        return;
                    }

                    int at = slot * _inflight.SlotSize;
                    _inflight.Store[at] |= PublishPacket.FlagDup;
                    System.Array.Copy(_inflight.Store, at, _tx, _txCount, len);
                    Emit(len);
                }

                _inflight.Resend[slot] = false;
                _inflight.SentAt[slot] = _now;
            }
        }

        /// <summary>Forgets the session: in-flight publishes are reported dropped, QoS 2 receipts forgotten.</summary>
        private void DropSession()
        {
            _inboundQos2Count = 0;
            for (int i = 0; i < _inflight.Capacity; i++)
            {
                byte kind = _inflight.Kinds[i];
                if (kind == InflightTable.Free)
                {
                    continue;
                }

                ushort id = _inflight.Ids[i];
                _inflight.Release(i);
                if (InflightTable.IsPublish(kind) && Listener != null)
                {
                    Listener.PublishFinished(this, id, false);
                }
            }
        }

        /// <summary>
        /// Leaves the connection: SUBSCRIBE/UNSUBSCRIBE answers will never come on another connection, while
        /// publishes wait for redelivery.
        /// </summary>
        private void EndConnection()
        {
            _state = ClientState.Disconnected;
            _pingOutstanding = false;
            for (int i = 0; i < _inflight.Capacity; i++)
            {
                byte kind = _inflight.Kinds[i];
                if (kind == InflightTable.AwaitSuback || kind == InflightTable.AwaitUnsuback)
                {
                    _inflight.Release(i);
                }
                else if (kind != InflightTable.Free)
                {
                    _inflight.Resend[i] = false;
                }
            }
        }
    }
}
