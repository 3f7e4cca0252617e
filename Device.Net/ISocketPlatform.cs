using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// What <see cref="SocketTransport"/> leaves to the platform: how an accepted socket is set up, how much is sent
    /// in one call, and how an idle loop waits. The board uses <see cref="PollingPlatform"/>; the PC may plug in a
    /// faster one (host/Broker.Host's SelectPlatform). Every call must return at once (or, for Idle, soon).
    /// </summary>
    public interface ISocketPlatform
    {
        /// <summary>Called once for each accepted socket, after the transport's own options (SendTimeout, NoDelay).</summary>
        void Accepted(Socket s);

        /// <summary>Sends up to <paramref name="count"/> bytes without blocking: the bytes taken, 0 for "not now".</summary>
        int Send(Socket s, byte[] buffer, int offset, int count);

        /// <summary>
        /// A pass moved nothing: wait a little (a millisecond or so, so the engine's Tick still runs). Each non-null
        /// listener, and each non-null socket whose <paramref name="wantsRead"/> is true, may become readable (false:
        /// the engine has no room for its bytes, back-pressure); a socket whose <paramref name="wantsWrite"/> is true
        /// has output that did not fit.
        /// </summary>
        void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite);

        /// <summary>
        /// The engine is done and the output is flushed: shut down the send side so the peer sees an orderly end
        /// (FIN), if the platform can. True when it did: the transport then reads and discards until the peer
        /// closes too (or a deadline), so closing never meets unread input, which would reset the connection.
        /// </summary>
        bool HalfClose(Socket s);
    }
}
