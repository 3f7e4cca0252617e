using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// A platform that knows which sockets have something to do (epoll on Linux), so <see cref="SocketTransport"/>
    /// does not ask every socket every pass: with 10,000 connections that was 10,000 visits a pass, where readiness
    /// costs one wait (issue 10). The transport names each socket by its slot; the platform reports ready slots and
    /// watches what the transport says it wants. The board's <see cref="PollingPlatform"/> does not implement it (a
    /// dozen sockets are cheap to ask).
    /// </summary>
    public interface IReadinessPlatform : ISocketPlatform
    {
        /// <summary>An accepted socket (after <see cref="ISocketPlatform.Accepted"/>) now holds this slot: watch it for reading.</summary>
        void Opened(Socket s, int slot);

        /// <summary>
        /// What to watch the slot's socket for: reading (false while the engine has no room for its bytes, or a
        /// level-triggered wait would wake at once, again and again) and writing (output that did not fit).
        /// Called after every visit; the platform changes its watch only when this differs from the last call.
        /// </summary>
        void Interest(int slot, bool read, bool write);

        /// <summary>
        /// The next slot the last wait reported (readable, writable, closed or failed), -1 when there are no more.
        /// A slot may be reported after its socket closed (or again for a new socket there): the transport checks.
        /// </summary>
        int TakeReady();

        /// <summary>A pass moved something (so <see cref="ISocketPlatform.Idle"/> was not called): collect readiness without waiting.</summary>
        void Refresh(Socket[] listeners);
    }
}
