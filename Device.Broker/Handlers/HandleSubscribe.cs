using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// SUBSCRIBE (3.8): each filter is granted min(requested, MaxQos), replaces an identical filter of the same
    /// session ([MQTT-3.8.4-3]), or is refused with 0x80 when it is too long, denied by the ACL, or the tables
    /// are full. SUBACK goes first, then the retained messages matching each granted filter ([MQTT-3.8.4-3]:
    /// also for a replaced one). A 3.1 client has no failure code: like Mosquitto, it is sent the QoS it asked
    /// for while the filter is not subscribed.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleSubscribe(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.RxArray(c);
            SubscribeView v = _subscribe;
            DecodeResult r = SubscribePacket.Decode(rx, offset, h, v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            int levels = v.EntriesOffset;
            while (levels < v.EntriesEnd)
            {
                int filter;
                int filterLength;
                byte requested;
                SubscribePacket.NextEntry(rx, ref levels, out filter, out filterLength, out requested);
                if (!LevelsAllowed(rx, filter, filterLength))
                {
                    // Mosquitto's sub topic check: beyond the hierarchy limit the packet is malformed, and closes.
                    Violation(c, DecodeResult.TooManyTopicLevels);
                    return;
                }
            }

            int s = _connections.Session(c);
            bool v31 = (_connections.Level(c) & 0x3F) == ProtocolLevel.V31;
            int n = 0;
            int cursor = v.EntriesOffset;
            while (cursor < v.EntriesEnd)
            {
                int filterOffset, filterLength;
                byte requested;
                SubscribePacket.NextEntry(rx, ref cursor, out filterOffset, out filterLength, out requested);
                byte granted = requested < _options.MaxQos ? requested : (byte)_options.MaxQos;
                bool ok = SubscribeAllowed(s, rx, filterOffset, filterLength)
                    && Subscribe(s, rx, filterOffset, filterLength, granted);
                _subscribed[n] = ok;
                _subackCodes[n] = ok || v31 ? granted : SubackCode.Failure;
                n++;
            }

            if (!Replied(c, WriteSuback(c, v.PacketId, _subackCodes, n)))
            {
                return;
            }

            cursor = v.EntriesOffset;
            for (int i = 0; i < n; i++)
            {
                int filterOffset, filterLength;
                byte requested;
                SubscribePacket.NextEntry(rx, ref cursor, out filterOffset, out filterLength, out requested);
                if (_subscribed[i])
                {
                    SendRetained(c, s, rx, filterOffset, filterLength, _subackCodes[i]);
                }
            }
        }

        private bool SubscribeAllowed(int s, byte[] filter, int filterOffset, int filterLength)
        {
            if (filterLength > _options.MaxTopicLength)
            {
                _counters.SubscriptionsRefused++;
                return false;
            }

            Acl acl = SessionAcl(s);
            if (acl.Enabled && !acl.CanSubscribe(_sessions, s, filter, filterOffset, filterLength))
            {
                _counters.AclDeniedSubscribe++;
                return false;
            }

            return _embed == null || HookAllows(s, filter, filterOffset, filterLength, true);
        }

        private bool Subscribe(int s, byte[] filter, int filterOffset, int filterLength, byte granted)
        {
            SubscribeResult result = _subscriptions.Add(s, filter, filterOffset, filterLength, granted, _options.MaxSubscriptionsPerClient);
            if (result == SubscribeResult.Added || result == SubscribeResult.Replaced)
            {
                if (_store != null)
                {
                    _store.Subscribed(s, filter, filterOffset, filterLength, granted);
                }

                return true;
            }

            _counters.SubscriptionsRefused++;
            return false;
        }
    }
}
