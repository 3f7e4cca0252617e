using System;
using System.Net;
using System.Net.Sockets;
using Device.Protocol;

namespace Device.Hardware
{
    /// <summary>
    /// Sends each log line as one RFC 5424 syslog message over UDP (RFC 5426) to a collector on the network, so a
    /// deployed board can be followed without Visual Studio's debugger (rsyslog, syslog-ng, or `nc -ul 514`):
    /// "&lt;PRI&gt;1 - HOSTNAME nanomqtt - - - text", facility 1 (user-level), severity the line's level; the
    /// timestamp is the NILVALUE because the board's clock is not set until SNTP has run, and a wrong date is worse
    /// than none. One buffer made at start-up holds the datagram: a line costs no allocation beyond its own text
    /// (none for ASCII). A line too long for the buffer is cut; 480 bytes is what RFC 5426 3.2 says every receiver
    /// takes over IPv4. A send that fails (no Wi-Fi yet) is counted and the line is gone: logging never blocks or
    /// stops the broker.
    /// </summary>
    internal sealed class SyslogTarget
    {
        public const int DatagramBytes = 480;

        // Facility 1 (user-level messages): PRI = 1 * 8 + severity.
        private const int Facility = 1;

        private readonly Socket _socket;
        private readonly EndPoint _collector;
        private readonly byte[] _datagram = new byte[DatagramBytes];

        // "1 - HOSTNAME nanomqtt - - - " after the PRI: VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID, SD.
        private readonly int _headerEnd;

        public int Sent;

        public int Failed;

        public SyslogTarget(IPAddress collector, int port, string hostName)
        {
            _collector = new IPEndPoint(collector, port);
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

            // The PRI ("<11>" to "<15>") is written per line at the front; the rest of the header once, after it.
            int n = 4;
            n += Utf8.Encode("1 - " + hostName + " nanomqtt - - - ", _datagram, n);
            _headerEnd = n;
        }

        public void Send(int level, string text)
        {
            // Facility 1 and severities 3-7 make PRI 11-15: always two digits.
            int pri = Facility * 8 + level;
            _datagram[0] = (byte)'<';
            _datagram[1] = (byte)('0' + pri / 10);
            _datagram[2] = (byte)('0' + pri % 10);
            _datagram[3] = (byte)'>';

            int room = _datagram.Length - _headerEnd;
            if (Utf8.ByteCount(text) > room)
            {
                // At most 3 bytes per UTF-16 unit: a third of the room always fits.
                text = text.Substring(0, room / 3);
            }

            int length = _headerEnd + Utf8.Encode(text, _datagram, _headerEnd);
            try
            {
                _socket.SendTo(_datagram, 0, length, SocketFlags.None, _collector);
                Sent++;
            }
            catch (Exception)
            {
                Failed++;
            }
        }

        public void Close()
        {
            _socket.Close();
        }
    }
}
