using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// The PC's TLS bridge connector (bridge_cafile/bridge_capath, bridge_certfile/bridge_keyfile, bridge_insecure,
    /// bridge_tls_version): TCP through HostConnector, then an SslStream whose handshake, reads and writes run as
    /// .NET async operations that the loop only polls (Check, Send, Receive return at once), so the broker and the
    /// bridge stay on the loop's one thread: the runtime's I/O threads touch only this connector's own staging buffers,
    /// and the loop reads them only after the operation has completed.
    /// </summary>
    public sealed class TlsConnector : IBridgeConnector
    {
        private const int Staging = 16 * 1024;

        private readonly HostConnector _tcp = new HostConnector();
        private readonly BridgeOptions _o;
        private readonly X509Certificate2Collection _cas;
        private readonly X509Certificate2Collection _own;
        private string _host;
        private SslStream _ssl;
        private Task _handshake;
        private volatile string _reason;
        private byte[] _rx;
        private int _rxOffset;
        private int _rxCount;
        private Task<int> _read;
        private byte[] _tx;
        private Task _write;

        private TlsConnector(BridgeOptions o, X509Certificate2Collection cas, X509Certificate2Collection own)
        {
            _o = o;
            _cas = cas;
            _own = own;
        }

        /// <summary>Loads the CA and client certificates at start-up; null with error set when a file is missing or unreadable.</summary>
        public static TlsConnector Create(BridgeOptions o, out string error)
        {
            error = null;
            X509Certificate2Collection cas = new X509Certificate2Collection();
            List<string> files = new List<string>();
            if (o.CaFile != null)
            {
                files.Add(o.CaFile);
            }

            if (o.CaPath != null)
            {
                if (!Directory.Exists(o.CaPath))
                {
                    error = "connection " + o.Name + ": bridge_capath '" + o.CaPath + "' is not a folder";
                    return null;
                }

                files.AddRange(Directory.GetFiles(o.CaPath));
            }

            foreach (string f in files)
            {
                try
                {
                    cas.ImportFromPemFile(f);
                }
                catch (System.Exception e) when (e is IOException || e is CryptographicException || e is System.UnauthorizedAccessException)
                {
                    if (f == o.CaFile)
                    {
                        error = "connection " + o.Name + ": bridge_cafile '" + f + "' cannot be read as PEM certificates (" + e.Message + ")";
                        return null;
                    }

                    // bridge_capath: files that are not certificates (an index, a README) are passed over, as OpenSSL does.
                }
            }

            if (cas.Count == 0)
            {
                error = "connection " + o.Name + ": no CA certificate in " + (o.CaFile ?? o.CaPath) + " (bridge_cafile/bridge_capath)";
                return null;
            }

            X509Certificate2Collection own = null;
            if (o.CertFile != null)
            {
                try
                {
                    own = new X509Certificate2Collection(X509Certificate2.CreateFromPemFile(o.CertFile, o.KeyFile));
                }
                catch (System.Exception e) when (e is IOException || e is CryptographicException || e is System.UnauthorizedAccessException)
                {
                    error = "connection " + o.Name + ": bridge_certfile '" + o.CertFile + "' with bridge_keyfile '" + o.KeyFile + "' cannot be loaded (" + e.Message + ")";
                    return null;
                }
            }

            return new TlsConnector(o, cas, own);
        }

        public Socket Begin(string host, int port, out string error)
        {
            _host = host;
            return _tcp.Begin(host, port, out error);
        }

        public int Check(Socket socket, out string error)
        {
            error = null;
            if (_ssl == null)
            {
                int tcp = _tcp.Check(socket, out error);
                if (tcp != 1)
                {
                    return tcp;
                }

                // NetworkStream needs a blocking socket; the async operations below never block the loop.
                socket.Blocking = true;
                _reason = null;
                _rx = new byte[Staging];
                _tx = new byte[Staging];
                _rxOffset = _rxCount = 0;
                _ssl = new SslStream(new NetworkStream(socket, false), false, Validate);
                SslClientAuthenticationOptions a = new SslClientAuthenticationOptions
                {
                    TargetHost = _host,
                    ClientCertificates = _own,
                    EnabledSslProtocols = Protocols(_o.TlsVersion),
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                };
                _handshake = _ssl.AuthenticateAsClientAsync(a);
            }

            if (!_handshake.IsCompleted)
            {
                return 0;
            }

            if (_handshake.IsFaulted || _handshake.IsCanceled)
            {
                System.Exception e = _handshake.Exception != null ? _handshake.Exception.GetBaseException() : null;
                error = _reason ?? "TLS handshake failed: " + (e != null ? e.Message : "cancelled")
                    + (_own == null ? " (if the upstream requires a client certificate: bridge_certfile and bridge_keyfile)" : "");
                return -1;
            }

            return 1;
        }

        private static SslProtocols Protocols(string version)
        {
            if (version == "tlsv1.3")
            {
                return SslProtocols.Tls13;
            }

            if (version == "tlsv1.2")
            {
                return SslProtocols.Tls12;
            }

            return SslProtocols.Tls12 | SslProtocols.Tls13;
        }

        /// <summary>The chain against the configured CAs only (not the system store), then the name unless bridge_insecure.</summary>
        private bool Validate(object sender, X509Certificate certificate, X509Chain presented, SslPolicyErrors errors)
        {
            X509Certificate2 cert = certificate as X509Certificate2;
            if (cert == null)
            {
                _reason = "TLS: the upstream sent no certificate";
                return false;
            }

            using X509Chain chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_cas);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presented != null)
            {
                foreach (X509ChainElement e in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(e.Certificate);
                }
            }

            if (!chain.Build(cert))
            {
                string why = "";
                foreach (X509ChainStatus s in chain.ChainStatus)
                {
                    why += (why.Length > 0 ? ", " : "") + s.Status;
                }

                _reason = "TLS: certificate verify failed: the upstream's certificate (" + cert.Subject + ", issued by " + cert.Issuer
                    + ") is not signed by a CA of " + (_o.CaFile ?? _o.CaPath) + " (" + why + ")";
                return false;
            }

            if (!_o.Insecure && !cert.MatchesHostname(_host))
            {
                _reason = "TLS: host name mismatch: the upstream's certificate (" + cert.Subject + ") is not for '" + _host
                    + "' (bridge_insecure true skips this check; use the name the certificate carries)";
                return false;
            }

            return true;
        }

        public int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            if (_write != null)
            {
                if (!_write.IsCompleted)
                {
                    return 0;
                }

                bool failed = _write.IsFaulted || _write.IsCanceled;
                _write = null;
                if (failed)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }
            }

            int n = count < _tx.Length ? count : _tx.Length;
            System.Array.Copy(buffer, offset, _tx, 0, n);
            _write = _ssl.WriteAsync(_tx, 0, n);
            return n;
        }

        public int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            if (_rxOffset == _rxCount)
            {
                if (_read == null)
                {
                    _read = _ssl.ReadAsync(_rx, 0, _rx.Length);
                }

                if (!_read.IsCompleted)
                {
                    return 0;
                }

                Task<int> done = _read;
                _read = null;
                if (done.IsFaulted || done.IsCanceled || done.Result <= 0)
                {
                    return -1;
                }

                _rxOffset = 0;
                _rxCount = done.Result;
            }

            int n = _rxCount - _rxOffset;
            if (n > count)
            {
                n = count;
            }

            System.Array.Copy(_rx, _rxOffset, buffer, offset, n);
            _rxOffset += n;
            return n;
        }

        public void Close(Socket socket)
        {
            if (_ssl != null)
            {
                _ssl.Dispose();
                _ssl = null;
            }

            // A read or write still pending ends with the stream; its staging buffer is not reused (new ones per connection).
            _handshake = null;
            _read = null;
            _write = null;
            _rxOffset = _rxCount = 0;
            PlainSocket.Close(socket);
        }
    }
}
