using System.Net;
using System.Net.Sockets;
using Device.Net;

namespace Broker.Host
{
    /// <summary>The PC's bridge connector: resolves names, connects without blocking the loop (the board's is BlockingConnector).</summary>
    public sealed class HostConnector : IBridgeConnector
    {
        /// <summary>SO_SNDBUF of the bridge's socket (see Begin).</summary>
        public const int SendBuffer = 16384;

        public Socket Begin(string host, int port, out string error)
        {
            error = null;
            IPAddress address;
            if (!IPAddress.TryParse(host, out address))
            {
                try
                {
                    IPAddress[] all = Dns.GetHostAddresses(host);
                    address = null;
                    foreach (IPAddress a in all)
                    {
                        if (a.AddressFamily == AddressFamily.InterNetwork)
                        {
                            address = a;
                            break;
                        }
                    }

                    if (address == null)
                    {
                        error = "'" + host + "' has no IPv4 address";
                        return null;
                    }
                }
                catch (SocketException e)
                {
                    error = "cannot resolve '" + host + "' (DNS: " + e.SocketErrorCode + ")";
                    return null;
                }
            }

            // A bounded send buffer, as the board's lwIP has (about 5.7 KB): a slow uplink then backs up into the bridge,
            // where back-pressure and `conflate` act, instead of into the kernel's autotuned queue (tcp_wmem, up to 4 MB on
            // Linux) where stale readings would wait for minutes. Linux doubles the value: 32 KB in all.
            Socket s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true, SendBufferSize = SendBuffer };
            try
            {
                s.Connect(new IPEndPoint(address, port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock || e.SocketErrorCode == SocketError.InProgress)
            {
            }
            catch (SocketException e)
            {
                error = "connect failed: " + e.SocketErrorCode;
                s.Dispose();
                return null;
            }

            return s;
        }

        public int Check(Socket socket, out string error)
        {
            error = null;
            if (socket.Poll(0, SelectMode.SelectError))
            {
                int code = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
                error = "connect failed: " + (SocketError)code;
                return -1;
            }

            if (!socket.Poll(0, SelectMode.SelectWrite))
            {
                return 0;
            }

            int err = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
            if (err != 0)
            {
                error = "connect failed: " + (SocketError)err;
                return -1;
            }

            // Writable and connected: the loop's own sends and receives are non-blocking from here on.
            return 1;
        }

        /// <summary>
        /// One non-blocking send (the socket is, from Begin): WouldBlock is "not now". No Poll first, as the board's
        /// blocking sockets need (PlainSocket): that was a second system call for every send.
        /// </summary>
        public int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            SocketError error;
            int n = socket.Send(buffer, offset, count, SocketFlags.None, out error);
            if (error == SocketError.Success)
            {
                return n;
            }

            if (error == SocketError.WouldBlock)
            {
                return 0;
            }

            throw new SocketException((int)error);
        }

        /// <summary>One non-blocking receive: 0 bytes read is the upstream's close (-1), WouldBlock is "nothing now" (0).</summary>
        public int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            SocketError error;
            int n = socket.Receive(buffer, offset, count, SocketFlags.None, out error);
            if (error == SocketError.Success)
            {
                return n > 0 ? n : -1;
            }

            if (error == SocketError.WouldBlock)
            {
                return 0;
            }

            throw new SocketException((int)error);
        }

        public void Close(Socket socket)
        {
            PlainSocket.Close(socket);
        }
    }
}
