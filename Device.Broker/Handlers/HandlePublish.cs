using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// PUBLISH from a client (3.3). QoS 0 is routed; QoS 1 is routed and answered with PUBACK; QoS 2 is routed
    /// on its first arrival, its packet id remembered until PUBREL, and a repeat of that id answered with
    /// PUBREC without routing it again (exactly once, [MQTT-4.3.3-2]). A retained PUBLISH updates the retained
    /// store first ([MQTT-3.3.1-5]); live forwards always carry retain 0 ([MQTT-3.3.1-9]). A topic the client may
    /// not write (ACL, or $SYS), one longer than MaxTopicLength, or a payload over MaxPayloadSize is acknowledged as
    /// usual and not routed (Mosquitto). A topic with more than MaxTopicLevels levels closes the connection (Mosquitto).
    /// A QoS 1/2 PUBLISH that cannot be placed for every connected subscriber, or a new QoS 2 id when the table of
    /// unreleased ids is full, is not taken at all (false: it stays in the buffer, see Flow/BackPressure.cs).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private bool HandlePublish(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.Rx;
            PublishView v;
            DecodeResult r = PublishPacket.Decode(rx, offset, h, out v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return true;
            }

            if (!LevelsAllowed(rx, v.Topic.Offset, v.Topic.Length))
            {
                // Mosquitto's topic check fails beyond its hierarchy limit: a protocol error, the connection closes.
                Violation(c, DecodeResult.TooManyTopicLevels);
                return true;
            }

            if (v.Retain && !_options.RetainAvailable)
            {
                // Mosquitto with retain_available false: MOSQ_ERR_NOT_SUPPORTED, the connection ends.
                _counters.RetainUnavailable++;
                Unexpected(c);
                return true;
            }

            int s = _connections.Session(c);
            if (v.Qos == 2 && _incoming.Contains(s, v.PacketId))
            {
                _counters.MessagesReceived++;
                WriteAck(c, PacketType.Pubrec, v.PacketId);
                return true;
            }

            if (v.Qos == 2 && _incoming.IsFull(s))
            {
                // Forgetting an unreleased id would let its resend be routed twice: wait for a PUBREL instead.
                _holdReason = Holds.Qos2Ids;
                return false;
            }

            if (PublishAllowed(s, rx, v.Topic.Offset, v.Topic.Length, v.Payload.Length))
            {
                int touched = Match(rx, v.Topic.Offset, v.Topic.Length);
                if (v.Qos > 0 && !Placeable(touched, v.Qos, rx, v.Topic.Offset, v.Topic.Length, v.Payload.Length, _blaming))
                {
                    ClearMatch(touched);
                    return false;
                }

                if (v.Qos == 2)
                {
                    _incoming.Add(s, v.PacketId);
                }

                if (v.Retain)
                {
                    SetRetained(rx, v.Topic.Offset, v.Topic.Length, v.Payload.Offset, v.Payload.Length, v.Qos);
                }

                if (v.Qos == 0)
                {
                    _reserved = 0;
                }

                DeliverMatched(touched, rx, v.Topic.Offset, v.Topic.Length, v.Payload.Offset, v.Payload.Length, v.Qos);
            }

            _counters.MessagesReceived++;

            if (v.Qos == 1)
            {
                WriteAck(c, PacketType.Puback, v.PacketId);
            }
            else if (v.Qos == 2)
            {
                WriteAck(c, PacketType.Pubrec, v.PacketId);
            }

            return true;
        }

        private bool PublishAllowed(int s, byte[] topic, int topicOffset, int topicLength, int payloadLength)
        {
            if (_options.MaxPayloadSize > 0 && payloadLength > _options.MaxPayloadSize)
            {
                // Mosquitto's message_size_limit: dropped, yet QoS 1/2 acknowledged (process_bad_message), and a
                // QoS 2 id not remembered, so its PUBREL is answered as an unknown id.
                _counters.PublishTooLarge++;
                return false;
            }

            if (topicLength > _options.MaxTopicLength)
            {
                _counters.PublishTopicTooLong++;
                return false;
            }

            Acl acl = SessionAcl(s);
            if (!SystemTopics.ClientMayWrite(topic, topicOffset, topicLength)
                || (acl.Enabled && !acl.CanPublish(_sessions.Ids, _sessions.IdOffset(s), _sessions.IdLength(s), _sessions.HasUser(s),
                _sessions.Users, _sessions.UserOffset(s), _sessions.UserLength(s), topic, topicOffset, topicLength)))
            {
                _counters.AclDeniedPublish++;
                return false;
            }

            return true;
        }

        /// <summary>
        /// Within MaxTopicLevels (0 = no limit). Mosquitto's TOPIC_HIERARCHY_LIMIT (200) counts the '/' separators,
        /// so 201 levels still pass there and the Host profile allows 201.
        /// </summary>
        private bool LevelsAllowed(byte[] topic, int offset, int length)
        {
            return _options.MaxTopicLevels <= 0 || Topic.LevelCount(topic, offset, length) <= _options.MaxTopicLevels;
        }
    }
}
