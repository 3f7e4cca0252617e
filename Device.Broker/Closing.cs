using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// How connections end: the engine decides (DISCONNECT, violation, timeout, takeover, refused CONNECT) or
    /// the network does (Closed). Either way the session is detached, a clean one dropped, and the will
    /// published unless the client said DISCONNECT.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void Violation(int c, DecodeResult r)
        {
            _counters.ProtocolViolations++;
            _connections.SetViolation(c, r);
            Close(c, CloseReason.ProtocolViolation, true);
        }

        private void Unexpected(int c)
        {
            _counters.ProtocolViolations++;
            Close(c, CloseReason.UnexpectedPacket, true);
        }

        /// <summary>
        /// Ends the connection as far as the engine is concerned: input is ignored from now on, the session is
        /// detached (dropped when clean), the will published when asked and one exists, and WantsClose turns true.
        /// </summary>
        private void Close(int c, CloseReason reason, bool publishWill)
        {
            byte state = _connections.State(c);
            if (state == Connections.Free || state == Connections.Closing)
            {
                return;
            }

            _connections.SetReason(c, reason);
            _connections.SetState(c, Connections.Closing);
            _connections.RxDiscard(c);
            if (_connections.Pool != null)
            {
                // WantsClose turned true outside the connection's own calls (keep-alive, takeover, a stall cut): a
                // transport that visits only ready connections is told (IEngine.WakesForOutput).
                _connections.Pool.Wake(c);
            }

            if (state != Connections.Connected)
            {
                return;
            }

            int s = _connections.Session(c);
            if (_embed != null)
            {
                // Told while the session still holds its client id; the app cannot re-enter the engine from here.
                NotifyDisconnected(c, s, reason);
            }

            // The will is checked against the ACL with the identity of the session that is about to go.
            bool will = publishWill && _wills.Has(c) && WillAllowed(c, s);
            _sessions.SetConnection(s, -1);
            _connections.SetSession(c, -1);
            _holds.Reset(c, _now);
            _roomFreed = true;
            if (!_sessions.IsPersistent(s))
            {
                DropSession(s);
            }
            else
            {
                TrimOffline(s);
                if (_offlineSince != null)
                {
                    _offlineSince[s] = _now;
                }
            }

            if (will)
            {
                PublishWill(c);
            }

            _wills.Clear(c);
        }

        /// <summary>Forgets a session with everything it holds.</summary>
        private void DropSession(int s)
        {
            if (_store != null && _sessions.IsPersistent(s))
            {
                // First: what the session held goes with this one record, not entry by entry.
                _store.SessionRemoved(s);
            }

            _subscriptions.RemoveAll(s);
            int undelivered = _deliveries.Clear(s, _pool);
            if (undelivered > 0)
            {
                // A clean session's messages end with it ([MQTT-3.1.2-6]); counted, as every message not delivered is.
                _counters.DroppedWithSession += undelivered;
                _counters.MessagesDropped += undelivered;
            }

            _incoming.Clear(s);
            _sessions.Destroy(s);
            _roomFreed = true;
        }

        /// <summary>Mosquitto checks a will against the ACL when it is sent, as a PUBLISH of its client.</summary>
        private bool WillAllowed(int c, int s)
        {
            if (!SystemTopics.ClientMayWrite(_wills.Data, _wills.TopicOffset(c), _wills.TopicLength(c)))
            {
                _counters.AclDeniedPublish++;
                return false;
            }

            Acl acl = SessionAcl(s);
            if (!acl.Enabled || acl.CanPublish(_sessions, s, _wills.Data, _wills.TopicOffset(c), _wills.TopicLength(c)))
            {
                // The app's hook is asked as for any PUBLISH of this client.
                return _embed == null || HookAllows(s, _wills.Data, _wills.TopicOffset(c), _wills.TopicLength(c), false);
            }

            _counters.AclDeniedPublish++;
            return false;
        }

        /// <summary>Sends the will of connection c as if its client had published it ([MQTT-3.1.2-8]).</summary>
        private void PublishWill(int c)
        {
            _counters.WillsPublished++;
            int topicLength = _wills.TopicLength(c);
            if (topicLength > _options.MaxTopicLength)
            {
                _counters.PublishTopicTooLong++;
                return;
            }

            byte[] data = _wills.Data;
            int topic = _wills.TopicOffset(c);
            int message = _wills.MessageOffset(c);
            int messageLength = _wills.MessageLength(c);
            byte qos = _wills.Qos(c);
            if (_wills.Retain(c))
            {
                SetRetained(data, topic, topicLength, message, messageLength, qos);
            }

            Route(data, topic, topicLength, message, messageLength, qos);
        }
    }
}
