using Device.Protocol;

namespace Device.Broker
{
    /// <summary>PINGREQ (3.12): answered with PINGRESP ([MQTT-3.12.4-1]); receiving it already counted as activity.</summary>
    public sealed partial class BrokerEngine
    {
        private void HandlePing(int c, int offset, FixedHeader h)
        {
            DecodeResult r = EmptyPacket.Decode(_connections.RxArray(c), offset, h);
            if (r != DecodeResult.Ok)
            {
                Violation(c, r);
                return;
            }

            Replied(c, WriteEmpty(c, PacketType.Pingresp));
        }
    }
}
