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
            while (state == ClientState.Connected)
            {
                int slot = inflight.FirstResend();
                if (slot < 0)
                {
                    return;
                }

                byte kind = inflight.Kinds[slot];
                if (kind == InflightTable.AwaitPubcomp)
                {
                    if (tx.Length - txCount < AckSize)
                    {
                        return;
                    }

                    Emit(AckPacket.Encode(tx, txCount, tx.Length - txCount, PacketType.Pubrel, inflight.Ids[slot]));
                }
                else
                {
                    int len = inflight.Lengths[slot];
                    if (tx.Length - txCount < len)
                    {
                        return;
                    }

                    int at = slot * inflight.SlotSize;
                    inflight.Store[at] |= PublishPacket.FlagDup;
                    System.Array.Copy(inflight.Store, at, tx, txCount, len);
                    Emit(len);
                }

                inflight.Resend[slot] = false;
                inflight.SentAt[slot] = now;
            }
        }

        /// <summary>Forgets the session: in-flight publishes are reported dropped, QoS 2 receipts forgotten.</summary>
        private void DropSession()
        {
            inboundQos2Count = 0;
            for (int i = 0; i < inflight.Capacity; i++)
            {
                byte kind = inflight.Kinds[i];
                if (kind == InflightTable.Free)
                {
                    continue;
                }

                ushort id = inflight.Ids[i];
                inflight.Release(i);
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
            state = ClientState.Disconnected;
            pingOutstanding = false;
            for (int i = 0; i < inflight.Capacity; i++)
            {
                byte kind = inflight.Kinds[i];
                if (kind == InflightTable.AwaitSuback || kind == InflightTable.AwaitUnsuback)
                {
                    inflight.Release(i);
                }
                else if (kind != InflightTable.Free)
                {
                    inflight.Resend[i] = false;
                }
            }
        }
    }
}
