using System.IO;

namespace System.Net.Sockets
{
    /// <summary>
    /// Stand-in of nanoFramework's NetworkStream (compile-only: every body throws), the base of SslStream. The real Read
    /// reads what is available (waiting up to the socket's ReceiveTimeout when nothing is), Write sends it all.
    /// </summary>
    public class NetworkStream : Stream
    {
        public NetworkStream(Socket socket)
        {
            throw Stub();
        }

        public NetworkStream(Socket socket, bool ownsSocket)
        {
            throw Stub();
        }

        public override long Length { get { throw Stub(); } }

        // The real one throws NotSupportedException both ways; Stream (System.IO.Streams' stand-in) declares it abstract.
        public override long Position
        {
            get { throw Stub(); }
            set { throw Stub(); }
        }

        public virtual bool DataAvailable { get { throw Stub(); } }

        public override int Read(byte[] buffer, int offset, int count) { throw Stub(); }

        public override void Write(byte[] buffer, int offset, int count) { throw Stub(); }

        protected override void Dispose(bool disposing)
        {
        }

        internal static Exception Stub()
        {
            return new NotSupportedException("compile-only stand-in");
        }
    }
}
