using Device.Protocol;

namespace Fuzz.Process
{
    /// <summary>
    /// The codec for a fuzzing tool that reads each answer once: a fresh header or view per call (the codec itself
    /// fills caller-owned instances so the broker allocates nothing per message; allocation does not matter here).
    /// </summary>
    internal static class Decode
    {
        public static DecodeResult Header(byte[] buffer, int offset, int count, int maxPacketSize, out FixedHeader header)
        {
            header = new FixedHeader();
            return Framing.ReadHeader(buffer, offset, count, maxPacketSize, header);
        }

        public static DecodeResult Connect(byte[] buffer, int offset, FixedHeader header, out ConnectView view)
        {
            view = new ConnectView();
            return ConnectPacket.Decode(buffer, offset, header, view);
        }
    }
}
