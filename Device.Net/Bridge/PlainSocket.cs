using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>The plain-TCP byte moves the connectors without TLS share: poll first, so the loop never waits on a socket.</summary>
    public static class PlainSocket
    {
        public static int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            if (!socket.Poll(0, SelectMode.SelectWrite))
            {
                return 0;
            }

            return socket.Send(buffer, offset, count, SocketFlags.None);
        }

        public static int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            if (!socket.Poll(0, SelectMode.SelectRead))
            {
                return 0;
            }

            int n = socket.Receive(buffer, offset, count, SocketFlags.None);
            return n > 0 ? n : -1;
        }

        public static void Close(Socket socket)
        {
            try
            {
                socket.Close();
            }
            catch (SocketException)
            {
            }
        }
    }
}
