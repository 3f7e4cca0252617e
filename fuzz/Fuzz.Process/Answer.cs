using System.Text;
using Device.Protocol;

namespace Fuzz.Process
{
    /// <summary>Reading what the broker answered a fuzz input, with the codec: its distinct shape, and the keep-alive it accepted.</summary>
    internal static class Answer
    {
        /// <summary>The answer as packet types (with CONNACK and SUBACK codes) and whether the broker closed: what counts as distinct.</summary>
        public static string Signature(byte[] b, int length, bool closed, out bool accepted)
        {
            accepted = false;
            StringBuilder s = new StringBuilder();
            int at = 0;
            int packets = 0;
            while (at < length && packets < 24)
            {
                if (Decode.Header(b, at, length - at, 0, out FixedHeader h) != DecodeResult.Ok || h.TotalLength > length - at)
                {
                    s.Append("partial ");
                    break;
                }
                s.Append(h.Type).Append(':');
                int body = at + h.HeaderLength;
                if (h.Type == PacketType.Connack && h.TotalLength >= 4)
                {
                    s.Append(b[at + 3]);
                    accepted = b[at + 3] == 0;
                }
                else if (h.Type == PacketType.Suback)
                {
                    for (int i = body + 2; i < at + h.TotalLength; i++)
                    {
                        s.Append(b[i].ToString("x2"));
                    }
                }
                else if (h.Type == PacketType.Publish)
                {
                    s.Append((h.Flags >> 1) & 3);
                }
                s.Append(' ');
                at += h.TotalLength;
                packets++;
            }
            s.Append(closed ? "| closed" : "| open");
            return s.ToString();
        }

        /// <summary>The keep-alive of the CONNECT the input starts with, or -1 when the codec does not accept it.</summary>
        public static int KeepAliveOf(byte[] input, int length)
        {
            if (Decode.Header(input, 0, length, 0, out FixedHeader h) != DecodeResult.Ok || h.TotalLength > length || h.Type != PacketType.Connect)
            {
                return -1;
            }
            return Decode.Connect(input, 0, h, out ConnectView v) == DecodeResult.Ok ? v.KeepAlive : -1;
        }
    }
}
