using System.Net.Sockets;

namespace Fuzz.Process
{
    /// <summary>Reading whole MQTT packets from a blocking socket, for the probe (null on close or timeout).</summary>
    internal static class Wire
    {
        public static byte[] Read(Socket s)
        {
            byte[] header = new byte[5];
            if (!Exactly(s, header, 0, 1))
            {
                return null;
            }
            int length = 0;
            int shift = 0;
            int at = 1;
            do
            {
                if (at == 5 || !Exactly(s, header, at, 1))
                {
                    return null;
                }
                length |= (header[at] & 0x7F) << shift;
                shift += 7;
            }
            while ((header[at++] & 0x80) != 0);
            byte[] p = new byte[at + length];
            System.Array.Copy(header, p, at);
            return Exactly(s, p, at, length) ? p : null;
        }

        private static bool Exactly(Socket s, byte[] b, int offset, int count)
        {
            try
            {
                while (count > 0)
                {
                    int n = s.Receive(b, offset, count, SocketFlags.None);
                    if (n <= 0)
                    {
                        return false;
                    }
                    offset += n;
                    count -= n;
                }
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
