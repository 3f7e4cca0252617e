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
    /// A PUBLISH (any QoS, issue 10) that cannot be placed for every connected subscriber, or a new QoS 2 id when
    /// the table of unreleased ids is full, is not taken at all (false: it stays in the buffer, see Flow/BackPressure.cs).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private bool HandlePublish(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.Rx ?? _connections.RxArray(c);
            PublishView v = _publish;
            DecodeResult r = PublishPacket.Decode(rx, offset, h, v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return true;
            }

            // A topic of n bytes has at most n + 1 levels, so only one that long needs counting (keeps the scan
            // off the routing path for every real topic).
            int maxLevels = _options.MaxTopicLevels;
            if (maxLevels > 0 && v.TopicLength >= maxLevels && Topic.LevelCount(rx, v.TopicOffset, v.TopicLength) > maxLevels)
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
                Replied(c, WriteAck(c, PacketType.Pubrec, v.PacketId));
                return true;
            }

            if (v.Qos == 2 && _incoming.IsFull(s))
            {
                // Forgetting an unreleased id would let its resend be routed twice: wait for a PUBREL instead.
                _holdReason = Holds.Qos2Ids;
                return false;
            }

            bool allowed = PublishAllowed(s, rx, v.TopicOffset, v.TopicLength, v.PayloadLength);
            int touched = 0;
            if (allowed)
            {
                touched = Match(rx, v.TopicOffset, v.TopicLength);
                // IsBridge(c) written out: this runs for every routed message.
                if ((_connections.Level(c) & ProtocolLevel.BridgeFlag) != 0)
                {
                    touched = Unmatch(s, touched);
                }

                // QoS 0 is placed like QoS 1/2 (issue 10): held rather than dropped for a connected subscriber. With
                // no delivery entry in use anywhere, every subscriber takes it now or as the first entry of an empty
                // queue in an empty pool, so the check is skipped (Idle: one call, the routing path's usual case).
                _reserved = 0;
                if ((v.Qos > 0 || !_deliveries.Idle(touched))
                    && !Placeable(touched, v.Qos, rx, v.TopicOffset, v.TopicLength, v.PayloadLength, _blaming, false))
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
                    if (_store != null)
                    {
                        // Saved before the deliveries it causes: a restore never has the copies without the id.
                        _store.IncomingAdded(s, v.PacketId);
                    }
                }

                if (v.Retain)
                {
                    SetRetained(rx, v.TopicOffset, v.TopicLength, v.PayloadOffset, v.PayloadLength, v.Qos);
                }

                if (_embed != null)
                {
                    DeliverLocal(rx, v.TopicOffset, v.TopicLength, v.PayloadOffset, v.PayloadLength, v.Qos, false);
                }

                _routeRetain = v.Retain;
                DeliverMatched(touched, rx, v.TopicOffset, v.TopicLength, v.PayloadOffset, v.PayloadLength, v.Qos, -1, true);
                _routeRetain = false;
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

            Acl acl = _sessionListener == null ? _aclOf[0] : _aclOf[_sessionListener[s]];
            // Only a topic starting with '$' can be a $SYS one (validated topics are never empty): no call otherwise.
            if ((topic[topicOffset] == Topic.SystemPrefix && !SystemTopics.ClientMayWrite(topic, topicOffset, topicLength))
                || (acl.Enabled && !acl.CanPublish(_sessions, s, topic, topicOffset, topicLength)))
            {
                _counters.AclDeniedPublish++;
                return false;
            }

            // The app's hook narrows what the ACL allows (docs/EMBEDDING.md, "Hooks").
            return _embed == null || HookAllows(s, topic, topicOffset, topicLength, false);
        }

        /// <summary>
        /// Within MaxTopicLevels (0 = no limit). Mosquitto's TOPIC_HIERARCHY_LIMIT (200) counts the '/' separators,
        /// so 201 levels still pass there and the Host profile allows 201.
        /// </summary>
        private bool LevelsAllowed(byte[] topic, int offset, int length)
        {
            int max = _options.MaxTopicLevels;
            return max <= 0 || length < max || Topic.LevelCount(topic, offset, length) <= max;
        }
    }
}
