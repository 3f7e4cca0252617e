using System.Net;
using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// The board's connector: sockets are always blocking on nanoFramework, so Connect returns when lwIP has
    /// connected or given up; the address must be an IPv4 literal (the board settings name the upstream by address).
    /// </summary>
    public sealed class BlockingConnector : IBridgeConnector
    {
        public Socket Begin(string host, int port, out string error)
        {
            error = null;
            IPAddress address;
            try
            {
                address = IPAddress.Parse(host);
            }
            catch (System.Exception)
            {
                error = "'" + host + "' is not an IPv4 address (the board does not look names up)";
                return null;
            }

            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.Connect(new IPEndPoint(address, port));
                return s;
            }
            catch (SocketException e)
            {
                error = "connect failed: " + e.Message;
                s.Close();
                return null;
            }
        }

        public int Check(Socket socket, out string error)
        {
            error = null;
            return 1;
        }

        public int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            return PlainSocket.Send(socket, buffer, offset, count);
        }

        public int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            return PlainSocket.Receive(socket, buffer, offset, count);
        }

        public void Close(Socket socket)
        {
            PlainSocket.Close(socket);
        }
    }
}
