using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// A platform that knows which sockets have something to read (epoll on Linux), so
    /// <see cref="SocketTransport"/> asks only those for their bytes instead of calling Available on every socket
    /// every pass: with 10,000 connections that is 10,000 system calls a pass, where readiness costs one. The
    /// board's <see cref="PollingPlatform"/> does not implement it (a dozen sockets are cheap to ask).
    /// </summary>
    public interface IReadinessPlatform : ISocketPlatform
    {
        /// <summary>
        /// False when the socket has had nothing to read (nor a close or error to report) since the last wait or
        /// refresh; true means "try": it is cleared by this call and set again by the next readiness report.
        /// </summary>
        /// <param name="slot">The transport's slot of s, so the platform can keep what it knows of s per slot (its fd).</param>
        bool MayRead(Socket s, int slot);

        /// <summary>Slots from this index up hold no socket (the transport's highest open slot + 1): the next Idle or Refresh looks no further.</summary>
        void Bound(int slots);

        /// <summary>A pass moved something (so <see cref="ISocketPlatform.Idle"/> was not called): collect readiness without waiting.</summary>
        void Refresh(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite);
    }
}
