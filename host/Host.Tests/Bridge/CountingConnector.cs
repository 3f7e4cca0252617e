using System.Net.Sockets;
using System.Threading;
using Device.Net;

namespace Host.Tests
{
    /// <summary>A bridge connector (the PC's own, real sockets) that counts the reads and sends that moved bytes, and the bytes.</summary>
    public sealed class CountingConnector : IBridgeConnector
    {
        private readonly IBridgeConnector _inner;
        private long _reads;
        private long _readBytes;
        private long _sends;
        private long _sentBytes;

        public CountingConnector(IBridgeConnector inner)
        {
            _inner = inner;
        }

        public long Reads { get { return Interlocked.Read(ref _reads); } }

        public long ReadBytes { get { return Interlocked.Read(ref _readBytes); } }

        public long Sends { get { return Interlocked.Read(ref _sends); } }

        public long SentBytes { get { return Interlocked.Read(ref _sentBytes); } }

        public Socket Begin(string host, int port, out string error)
        {
            return _inner.Begin(host, port, out error);
        }

        public int Check(Socket socket, out string error)
        {
            return _inner.Check(socket, out error);
        }

        public int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            int n = _inner.Send(socket, buffer, offset, count);
            if (n > 0)
            {
                Interlocked.Increment(ref _sends);
                Interlocked.Add(ref _sentBytes, n);
            }

            return n;
        }

        public int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            int n = _inner.Receive(socket, buffer, offset, count);
            if (n > 0)
            {
                Interlocked.Increment(ref _reads);
                Interlocked.Add(ref _readBytes, n);
            }

            return n;
        }

        public void Close(Socket socket)
        {
            _inner.Close(socket);
        }
    }
}
