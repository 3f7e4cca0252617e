using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// From one published message to the sessions that receive it.
    /// Route finds every session with a matching subscription and the highest QoS it was granted among them
    /// (one copy per client, [MQTT-3.3.5-1]), then delivers at min(published, granted):
    /// QoS 0 goes straight into the client's transmit buffer or is dropped when it does not fit, never
    /// waiting and never blocking anyone else. QoS 1/2 is stored once in the MessageStore and referenced by
    /// each receiving session: sent at once when the session is connected, its queue empty, an in-flight slot
    /// free and the packet fits; otherwise queued (bounded, newest refused). Pump moves the queue up as acks
    /// free slots and the transport drains the buffer.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void Route(byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            int touched = 0;
            int count = _subscriptions.Count;
            for (int k = 0; k < count; k++)
            {
                int i = _subscriptions.At(k);
                if (!_subscriptions.Matches(i, src, topicOffset, topicLength))
                {
                    continue;
                }

                int s = _subscriptions.Session(i);
                byte granted = _subscriptions.Qos(i);
                byte current = _routeQos[s];
                if (current == NoRoute)
                {
                    _routeTouched[touched++] = (short)s;
                    _routeQos[s] = granted;
                }
                else if (granted > current)
                {
                    _routeQos[s] = granted;
                }
            }

            int message = -1;
            bool storeFailed = false;
            for (int k = 0; k < touched; k++)
            {
                int s = _routeTouched[k];
                byte granted = _routeQos[s];
                _routeQos[s] = NoRoute;
                byte q = qos < granted ? qos : granted;
                if (_acl.Enabled && !CanRead(s, src, topicOffset, topicLength))
                {
                    _counters.AclDeniedRead++;
                    continue;
                }

                if (q == 0)
                {
                    SendQos0(s, src, topicOffset, topicLength, payloadOffset, payloadLength);
                    continue;
                }

                if (message < 0 && !storeFailed)
                {
                    message = _store.Add(src, topicOffset, topicLength, src, payloadOffset, payloadLength);
                    storeFailed = message < 0;
                }

                if (message < 0)
                {
                    Drop(ref _counters.DroppedStoreFull);
                    continue;
                }

                Deliver(s, message, q, false);
            }

            if (message >= 0)
            {
                // The router's own reference: the message lives on only in the sessions that took it.
                _store.Release(message);
            }

            _counters.StoredMessages = _store.Count;
        }

        /// <summary>QoS 0 is not kept for a client that is away (Mosquitto's default), and dropped when its buffer is full.</summary>
        private void SendQos0(int s, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength)
        {
            int c = _sessions.Connection(s);
            if (c < 0)
            {
                return;
            }

            if (!WritePublish(c, src, topicOffset, topicLength, payloadOffset, payloadLength, 0, false, false, 0))
            {
                Drop(ref _counters.DroppedTxFull);
            }
        }

        /// <summary>Hands a stored QoS 1/2 message to session s; takes its own reference when it keeps it.</summary>
        private void Deliver(int s, int message, byte qos, bool retain)
        {
            int c = _sessions.Connection(s);
            if (c >= 0 && _queue.Count(s) == 0 && _inflight.HasFree(s) && CanWriteStored(c, message, qos))
            {
                _store.AddRef(message);
                int slot = _inflight.Add(s, message, qos == 1 ? Inflight.AwaitPuback : Inflight.AwaitPubrec, retain);
                // Cannot fail after CanWriteStored; if it did, the slot stays pending and goes out again on resume.
                _inflight.SetPending(slot, !WriteStored(c, message, qos, false, retain, _inflight.PacketId(slot)));
                return;
            }

            if (_queue.Push(s, message, qos, retain))
            {
                _store.AddRef(message);
                return;
            }

            Drop(ref _counters.DroppedQueueFull);
        }

        /// <summary>
        /// Sends what session s owes its client, oldest first: resends after a reconnect (PUBLISH with DUP,
        /// [MQTT-4.4.0-1]; PUBREL), then queued messages while in-flight slots and buffer room last.
        /// </summary>
        private void Pump(int s)
        {
            int c = _sessions.Connection(s);
            if (c < 0)
            {
                return;
            }

            while (true)
            {
                int slot = _inflight.NextPending(s);
                if (slot < 0)
                {
                    break;
                }

                bool written = _inflight.State(slot) == Inflight.AwaitPubcomp
                    ? WriteAck(c, PacketType.Pubrel, _inflight.PacketId(slot))
                    : WriteStored(c, _inflight.Message(slot), _inflight.Qos(slot), true, _inflight.Retain(slot), _inflight.PacketId(slot));
                if (!written)
                {
                    return;
                }

                _inflight.SetPending(slot, false);
            }

            while (_queue.Count(s) > 0)
            {
                int message = _queue.PeekMessage(s);
                byte qos = _queue.PeekQos(s);
                bool retain = _queue.PeekRetain(s);
                if (qos == 0)
                {
                    if (!WriteStored(c, message, 0, false, retain, 0))
                    {
                        return;
                    }

                    _queue.Pop(s);
                    _store.Release(message);
                    continue;
                }

                if (!_inflight.HasFree(s) || !CanWriteStored(c, message, qos))
                {
                    return;
                }

                // The queue's reference moves to the in-flight slot.
                _queue.Pop(s);
                int slot = _inflight.Add(s, message, qos == 1 ? Inflight.AwaitPuback : Inflight.AwaitPubrec, retain);
                _inflight.SetPending(slot, !WriteStored(c, message, qos, false, retain, _inflight.PacketId(slot)));
            }

            _counters.StoredMessages = _store.Count;
        }

        /// <summary>
        /// The retained messages matching a new subscription, with the retain flag set ([MQTT-3.3.1-6]), at
        /// min(stored QoS, granted). QoS 0 ones that do not fit the buffer now wait in the queue like the others.
        /// </summary>
        private void SendRetained(int c, int s, byte[] filter, int filterOffset, int filterLength, byte granted)
        {
            byte[] data = _retained.Data;
            // Counting down: the retained set cannot change here, and the order of retained messages is not a promise.
            for (int k = _retained.Count - 1; k >= 0; k--)
            {
                int i = _retained.At(k);
                int topic = _retained.TopicOffset(i);
                int topicLength = _retained.TopicLength(i);
                if (!Topic.Matches(filter, filterOffset, filterLength, data, topic, topicLength))
                {
                    continue;
                }

                if (_acl.Enabled && !CanRead(s, data, topic, topicLength))
                {
                    _counters.AclDeniedRead++;
                    continue;
                }

                byte stored = _retained.Qos(i);
                byte q = stored < granted ? stored : granted;
                int payload = _retained.PayloadOffset(i);
                int payloadLength = _retained.PayloadLength(i);
                if (q == 0 && _queue.Count(s) == 0 && WritePublish(c, data, topic, topicLength, payload, payloadLength, 0, false, true, 0))
                {
                    continue;
                }

                int message = _store.Add(data, topic, topicLength, data, payload, payloadLength);
                if (message < 0)
                {
                    Drop(ref _counters.DroppedStoreFull);
                    continue;
                }

                if (q > 0)
                {
                    Deliver(s, message, q, true);
                }
                else if (_queue.Push(s, message, 0, true))
                {
                    _store.AddRef(message);
                }
                else
                {
                    Drop(ref _counters.DroppedQueueFull);
                }

                _store.Release(message);
            }

            _counters.StoredMessages = _store.Count;
        }

        private void SetRetained(byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            if (_retained.Set(src, topicOffset, topicLength, src, payloadOffset, payloadLength, qos) == Retained.Refused)
            {
                _counters.RetainedRefused++;
            }

            _counters.RetainedMessages = _retained.Count;
        }

        private bool CanRead(int s, byte[] topic, int topicOffset, int topicLength)
        {
            return _acl.CanRead(_sessions, s, topic, topicOffset, topicLength);
        }

        private void Drop(ref long reason)
        {
            reason++;
            _counters.MessagesDropped++;
        }
    }
}
