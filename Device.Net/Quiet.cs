using System;
using System.Net;
using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>Socket calls whose failure only means the connection is already gone.</summary>
    internal static class Quiet
    {
        public const int DrainSize = 256;

        /// <summary>
        /// Reads what the peer sent and nobody will process, then closes: a socket closed with unread input is
        /// reset rather than closed, and the reset can destroy the last packets (a refusing CONNACK) before the
        /// client has read them. The drain is bounded so a flooding peer cannot keep the loop here.
        /// </summary>
        public static void Close(Socket s, byte[] scratch)
        {
            try
            {
                for (int i = 0; i < 16; i++)
                {
                    int available = s.Available;
                    if (available <= 0 || s.Receive(scratch, 0, available < scratch.Length ? available : scratch.Length, SocketFlags.None) <= 0)
                    {
                        break;
                    }
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }

            try
            {
                s.Close();
            }
            catch (SocketException)
            {
            }
        }

        /// <summary>The peer's address for a log line, or null when the connection is already reset.</summary>
        public static EndPoint RemoteOf(Socket s)
        {
            try
            {
                return s.RemoteEndPoint;
            }
            catch (SocketException)
            {
                return null;
            }
        }
    }
}
