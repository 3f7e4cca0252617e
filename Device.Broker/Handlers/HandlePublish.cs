using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// PUBLISH from a client (3.3). QoS 0 is routed; QoS 1 is routed and answered with PUBACK; QoS 2 is routed
    /// on its first arrival, its packet id remembered until PUBREL, and a repeat of that id answered with
    /// PUBREC without routing it again (exactly once, [MQTT-4.3.3-2]). A retained PUBLISH updates the retained
    /// store first ([MQTT-3.3.1-5]); live forwards always carry retain 0 ([MQTT-3.3.1-9]). A topic the client may
    /// not write (ACL, or $SYS), or one longer than MaxTopicLength, is acknowledged as usual and not routed (Mosquitto).
    /// A QoS 1/2 PUBLISH that cannot be placed for every connected subscriber, or a new QoS 2 id when the table of
    /// unreleased ids is full, is not taken at all (false: it stays in the buffer, see Flow/BackPressure.cs).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private bool HandlePublish(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.RxArray(c);
            PublishView v = _publish;
            DecodeResult r = PublishPacket.Decode(rx, offset, h, v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return true;
            }

            int s = _connections.Session(c);
            if (v.Qos == 2 && _incoming.Contains(s, v.PacketId))
            {
                _counters.MessagesReceived++;
                Replied(c, WriteAck(c, PacketType.Pubrec, v.PacketId));
                return true;
            }

            if (v.Qos == 2 && _incoming.IsFull(s))
            {
                // Forgetting an unreleased id would let its resend be routed twice: wait for a PUBREL instead.
                _holdReason = Holds.Qos2Ids;
                return false;
            }

            bool allowed = PublishAllowed(s, rx, v.TopicOffset, v.TopicLength);
            int touched = 0;
            if (allowed)
            {
                touched = Match(rx, v.TopicOffset, v.TopicLength);
                if (v.Qos > 0 && !Placeable(touched, v.Qos, rx, v.TopicOffset, v.TopicLength, v.PayloadLength, _blaming))
                {
                    ClearMatch(touched);
                    return false;
                }
            }

            _counters.MessagesReceived++;

            // Taken: the ack goes first, into the room Dispatch reserved for it. Delivery may write copies of this
            // very message to the publisher (it can be subscribed to its own topic), and those must not take that room.
            if (v.Qos > 0 && !Replied(c, WriteAck(c, v.Qos == 1 ? PacketType.Puback : PacketType.Pubrec, v.PacketId)))
            {
                if (allowed)
                {
                    ClearMatch(touched);
                    _reserved = 0;
                }

                return true;
            }

            if (allowed)
            {
                if (v.Qos == 2)
                {
                    _incoming.Add(s, v.PacketId);
                }

                if (v.Retain)
                {
                    SetRetained(rx, v.TopicOffset, v.TopicLength, v.PayloadOffset, v.PayloadLength, v.Qos);
                }

                if (v.Qos == 0)
                {
                    _reserved = 0;
                }

                DeliverMatched(touched, rx, v.TopicOffset, v.TopicLength, v.PayloadOffset, v.PayloadLength, v.Qos);
            }

            return true;
        }

        private bool PublishAllowed(int s, byte[] topic, int topicOffset, int topicLength)
        {
            if (topicLength > _options.MaxTopicLength)
            {
                _counters.PublishTopicTooLong++;
                return false;
            }

            if (!SystemTopics.ClientMayWrite(topic, topicOffset, topicLength)
                || (_acl.Enabled && !_acl.CanPublish(_sessions, s, topic, topicOffset, topicLength)))
            {
                _counters.AclDeniedPublish++;
                return false;
            }

            return true;
        }
    }
}
