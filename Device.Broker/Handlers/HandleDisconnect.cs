using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// DISCONNECT (3.14): the client leaves cleanly. Its will is discarded without being published
    /// ([MQTT-3.14.4-3]), a clean session is dropped, a persistent one kept, and the connection is closed.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private void HandleDisconnect(int c, int offset, FixedHeader h)
        {
            DecodeResult r = EmptyPacket.Decode(_connections.RxArray(c), offset, h);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            _wills.Clear(c);
            Close(c, CloseReason.ClientDisconnected, false);
        }
    }
}
