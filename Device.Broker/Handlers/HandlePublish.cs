using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// PUBLISH from a client (3.3). QoS 0 is routed; QoS 1 is routed and answered with PUBACK; QoS 2 is routed
    /// on its first arrival, its packet id remembered until PUBREL, and a repeat of that id answered with
    /// PUBREC without routing it again (exactly once, [MQTT-4.3.3-2]). A retained PUBLISH updates the retained
    /// store first ([MQTT-3.3.1-5]); live forwards always carry retain 0 ([MQTT-3.3.1-9]). A topic the client may
    /// not write (ACL, or $SYS), or one longer than MaxTopicLength, is acknowledged as usual and not routed (Mosquitto).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandlePublish(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.Rx;
            PublishView v = _publish;
            DecodeResult r = PublishPacket.Decode(rx, offset, h, v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            // Each field once into a local: a local costs the interpreter less than a field of another object.
            byte qos = v.Qos;
            ushort packetId = v.PacketId;
            int topic = v.TopicOffset;
            int topicLength = v.TopicLength;
            _counters.MessagesReceived++;
            int s = _connections.Session(c);
            if (qos == 2 && _incoming.Contains(s, packetId))
            {
                WriteAck(c, PacketType.Pubrec, packetId);
                return;
            }

            if (PublishAllowed(s, rx, topic, topicLength))
            {
                if (qos == 2 && _incoming.Add(s, packetId))
                {
                    _counters.Qos2IdsEvicted++;
                }

                if (v.Retain)
                {
                    SetRetained(rx, topic, topicLength, v.PayloadOffset, v.PayloadLength, qos);
                }

                Route(rx, topic, topicLength, v.PayloadOffset, v.PayloadLength, qos);
            }

            if (qos == 1)
            {
                WriteAck(c, PacketType.Puback, packetId);
            }
            else if (qos == 2)
            {
                WriteAck(c, PacketType.Pubrec, packetId);
            }
        }

        private bool PublishAllowed(int s, byte[] topic, int topicOffset, int topicLength)
        {
            if (topicLength > _options.MaxTopicLength)
            {
                _counters.PublishTopicTooLong++;
                return false;
            }

            // Only a topic starting with '$' can be a $SYS one: the common case costs no call.
            if ((topic[topicOffset] == Topic.SystemPrefix && !SystemTopics.ClientMayWrite(topic, topicOffset, topicLength))
                || (_acl.Enabled && !_acl.CanPublish(_sessions.Ids, _sessions.IdOffset(s), _sessions.IdLength(s), _sessions.HasUser(s),
                _sessions.Users, _sessions.UserOffset(s), _sessions.UserLength(s), topic, topicOffset, topicLength)))
            {
                _counters.AclDeniedPublish++;
                return false;
            }

            return true;
        }
    }
}
