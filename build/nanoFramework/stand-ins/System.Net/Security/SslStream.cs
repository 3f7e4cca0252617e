using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace System.Net.Security
{
    /// <summary>
    /// Stand-in of nanoFramework's SslStream (mbedTLS underneath; compile-only: every body throws). The real
    /// AuthenticateAsClient runs the whole handshake before it returns (sockets are blocking) and throws when it fails
    /// (a certificate that does not verify against ca, or a name that is not targetHost, under the default
    /// SslVerification.CertificateRequired); Read and Write go through the TLS session with the socket's timeouts;
    /// DataAvailable counts decrypted bytes waiting. Disposing it closes the socket.
    /// </summary>
    public class SslStream : NetworkStream
    {
        public SslStream(Socket socket)
            : base(socket, false)
        {
        }

        public SslVerification SslVerification
        {
            get { throw Stub(); }
            set { throw Stub(); }
        }

        public bool IsServer { get { throw Stub(); } }

        public override long Length { get { throw Stub(); } }

        public override bool DataAvailable { get { throw Stub(); } }

        public void AuthenticateAsClient(string targetHost, SslProtocols enabledSslProtocols) { throw Stub(); }

        public void AuthenticateAsClient(string targetHost, X509Certificate clientCertificate, SslProtocols enabledSslProtocols) { throw Stub(); }

        public void AuthenticateAsClient(string targetHost, X509Certificate clientCertificate, X509Certificate ca, SslProtocols enabledSslProtocols) { throw Stub(); }

        public override int Read(byte[] buffer, int offset, int size) { throw Stub(); }

        public override void Write(byte[] buffer, int offset, int size) { throw Stub(); }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
