using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Device.Net;

namespace Device.Hardware
{
    /// <summary>
    /// The board's TLS bridge connector: TCP through BlockingConnector, then nanoFramework's SslStream (mbedTLS) with
    /// the CA certificate read once from the board's storage (the settings' bridge CA path, e.g. I:\ca.pem). The
    /// handshake runs inside Check and blocks the loop for its length (seconds on an ESP32: the board's sockets are
    /// always blocking, as the plain connect already is); afterwards Send and Receive move only what is ready, with
    /// the socket timeouts bounding a record that is half there. SslVerification.CertificateRequired: a certificate
    /// that does not chain to the CA or does not name the server is refused (mbedTLS checks both; the board has no
    /// bridge_insecure). The upstream is named by address (no DNS here), so the certificate's name comes from
    /// ServerName.
    /// </summary>
    internal sealed class BoardTlsConnector : IBridgeConnector
    {
        /// <summary>One PEM CA certificate is 1-2 KB; a bundle is not expected on the board.</summary>
        public const int MaxCaBytes = 4096;

        // Bounds a TLS record that is half received, and a send to an upstream that stopped reading.
        private const int TimeoutMs = 5000;

        private readonly BlockingConnector _tcp = new BlockingConnector();
        private readonly X509Certificate _ca;
        private readonly string _caPath;
        private readonly string _serverName;
        private string _host;
        private SslStream _ssl;

        private BoardTlsConnector(X509Certificate ca, string caPath, string serverName)
        {
            _ca = ca;
            _caPath = caPath;
            _serverName = serverName;
        }

        /// <summary>Reads the CA at start-up; null (and error) when it is missing, too large or not a certificate.</summary>
        /// <param name="serverName">The name the upstream's certificate must carry; null: the address as given.</param>
        public static BoardTlsConnector Create(string caPath, string serverName, out string error)
        {
            error = null;
            byte[] bytes;
            try
            {
                bytes = ReadCa(caPath);
            }
            catch (Exception e)
            {
                error = "bridge: cannot read the CA certificate " + caPath + " (" + e.Message + ")";
                return null;
            }

            if (bytes == null)
            {
                error = "bridge: " + caPath + " is empty or larger than " + MaxCaBytes.ToString() + " bytes (one CA certificate, PEM or DER)";
                return null;
            }

            try
            {
                return new BoardTlsConnector(new X509Certificate(bytes), caPath, serverName);
            }
            catch (Exception e)
            {
                error = "bridge: " + caPath + " is not a certificate mbedTLS can parse (" + e.Message + ")";
                return null;
            }
        }

        /// <summary>The file's bytes; PEM gets the terminating 0 byte mbedTLS needs to tell it from DER.</summary>
        private static byte[] ReadCa(string path)
        {
            FileStream f = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                long length = f.Length;
                if (length == 0 || length > MaxCaBytes)
                {
                    return null;
                }

                byte[] file = new byte[(int)length];
                int got = 0;
                while (got < file.Length)
                {
                    int n = f.Read(file, got, file.Length - got);
                    if (n <= 0)
                    {
                        break;
                    }

                    got += n;
                }

                if (file[0] != (byte)'-')
                {
                    return file;
                }

                byte[] pem = new byte[got + 1];
                Array.Copy(file, pem, got);
                return pem;
            }
            finally
            {
                f.Dispose();
            }
        }

        public Socket Begin(string host, int port, out string error)
        {
            _host = host;
            return _tcp.Begin(host, port, out error);
        }

        public int Check(Socket socket, out string error)
        {
            error = null;
            if (_ssl != null)
            {
                return 1;
            }

            string name = _serverName != null ? _serverName : _host;
            try
            {
                socket.ReceiveTimeout = TimeoutMs;
                socket.SendTimeout = TimeoutMs;
                _ssl = new SslStream(socket);
                _ssl.SslVerification = SslVerification.CertificateRequired;
                _ssl.AuthenticateAsClient(name, null, _ca, SslProtocols.Tls12);
                return 1;
            }
            catch (Exception e)
            {
                // mbedTLS's reason is in the message (CryptographicException: the MBEDTLS_X509_BADCERT_* flags).
                error = "TLS handshake failed (" + e.Message + "): the upstream's certificate must chain to " + _caPath + " and name '" + name + "'";
                return -1;
            }
        }

        public int Send(Socket socket, byte[] buffer, int offset, int count)
        {
            if (!socket.Poll(0, SelectMode.SelectWrite))
            {
                return 0;
            }

            _ssl.Write(buffer, offset, count);
            return count;
        }

        public int Receive(Socket socket, byte[] buffer, int offset, int count)
        {
            // Decrypted bytes may wait inside the TLS session with nothing left on the socket, so both are asked.
            if (!_ssl.DataAvailable && !socket.Poll(0, SelectMode.SelectRead))
            {
                return 0;
            }

            int n = _ssl.Read(buffer, offset, count);
            return n > 0 ? n : -1;
        }

        public void Close(Socket socket)
        {
            if (_ssl == null)
            {
                PlainSocket.Close(socket);
                return;
            }

            // Disposing the SslStream ends the TLS session and closes its socket.
            try
            {
                _ssl.Dispose();
            }
            catch (Exception)
            {
            }

            _ssl = null;
        }
    }
}
