using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// How a BridgeLink reaches the upstream: opens the TCP connection and carries its bytes. The board's
    /// (BlockingConnector) connects at once with an IP address; the PC's (Broker.Host's HostConnector) resolves names
    /// and connects without blocking the loop; the TLS ones (Broker.Host's TlsConnector, hardware's BoardTlsConnector)
    /// add the handshake to Check and carry the bytes through an SslStream. One connector per link: it may keep the
    /// state of the one connection it carries. Every call returns at once (or, on the board, after what lwIP blocks
    /// for), so the loop stays single-threaded.
    /// </summary>
    public interface IBridgeConnector
    {
        /// <summary>Starts a connection; null with error set when it failed at once (bad address, DNS failure).</summary>
        Socket Begin(string host, int port, out string error);

        /// <summary>1 connected (and, with TLS, the handshake done), 0 still connecting, -1 failed (error says why).</summary>
        int Check(Socket socket, out string error);

        /// <summary>Bytes taken from buffer[offset..offset+count] now (0: not now); throws SocketException when broken.</summary>
        int Send(Socket socket, byte[] buffer, int offset, int count);

        /// <summary>Bytes written at buffer[offset..] (at most count), 0 when none has arrived, -1 when the upstream closed.</summary>
        int Receive(Socket socket, byte[] buffer, int offset, int count);

        /// <summary>Ends the connection (the TLS session with it).</summary>
        void Close(Socket socket);
    }
}
