using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// UNSUBSCRIBE (3.10): removes the session's subscriptions with exactly these filters; filters it never had
    /// are ignored and the UNSUBACK is sent all the same ([MQTT-3.10.4-5]). Messages already queued or in
    /// flight for the removed subscriptions are still delivered ([MQTT-3.10.4-3]).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleUnsubscribe(int c, int offset, FixedHeader h)
        {
            byte[] rx = _connections.RxArray(c);
            UnsubscribeView v = _unsubscribe;
            DecodeResult r = UnsubscribePacket.Decode(rx, offset, h, v);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            int s = _connections.Session(c);
            int cursor = v.EntriesOffset;
            while (cursor < v.EntriesEnd)
            {
                int filterOffset, filterLength;
                UnsubscribePacket.NextEntry(rx, ref cursor, out filterOffset, out filterLength);
                if (_subscriptions.Remove(s, rx, filterOffset, filterLength) && _store != null)
                {
                    _store.Unsubscribed(s, rx, filterOffset, filterLength);
                }
            }

            Replied(c, WriteAck(c, PacketType.Unsuback, v.PacketId));
        }
    }
}
