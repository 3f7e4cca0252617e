using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// The board's platform (nanoFramework's System.Net: blocking sockets, Poll, no Select): send only after the
    /// socket polls writable, and then at most one chunk (see <see cref="SocketTransport.DefaultChunk"/>); when
    /// idle, sleep 1 ms.
    /// </summary>
    public sealed class PollingPlatform : ISocketPlatform
    {
        private readonly int _chunk;

        /// <param name="chunk">Largest single Send; 0 for <see cref="SocketTransport.DefaultChunk"/>.</param>
        public PollingPlatform(int chunk)
        {
            _chunk = chunk > 0 ? chunk : SocketTransport.DefaultChunk;
        }

        public void Accepted(Socket s)
        {
        }

        public int Send(Socket s, byte[] buffer, int offset, int count)
        {
            if (!s.Poll(0, SelectMode.SelectWrite))
            {
                return 0;
            }

            int sent = s.Send(buffer, offset, count < _chunk ? count : _chunk, SocketFlags.None);
            return sent > 0 ? sent : 0;
        }

        /// <summary>nanoFramework's System.Net has no Shutdown: the transport drains what is there and closes.</summary>
        public bool HalfClose(Socket s)
        {
            return false;
        }

        public void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            // Give the CPU (and on the board the other threads) a moment.
            System.Threading.Thread.Sleep(1);
        }
    }
}
