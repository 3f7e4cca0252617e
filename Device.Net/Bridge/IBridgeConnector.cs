using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// How a BridgeLink opens its TCP connection to the upstream. The board's (BlockingConnector) connects at once
    /// with an IP address; the PC's resolves names and connects without blocking the loop.
    /// </summary>
    public interface IBridgeConnector
    {
        /// <summary>Starts a connection; null with error set when it failed at once (bad address, DNS failure).</summary>
        Socket Begin(string host, int port, out string error);

        /// <summary>1 connected, 0 still connecting, -1 failed (error says why).</summary>
        int Check(Socket socket, out string error);
    }
}
