using System.Net;
using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// A platform that keeps accepted connections as bare file descriptors (Linux on the PC: accept4, recv, send,
    /// shutdown and close by P/Invoke next to its epoll set) instead of .NET Socket objects. An idle connection then
    /// costs the transport a number in a table: the Socket graph (Socket, SafeSocketHandle, and on Unix the
    /// SocketAsyncContext with its locks that non-blocking mode and synchronous Receive make, about 470 B) was most
    /// of what an idle client cost the PC broker (issue 10). Listeners stay Sockets, and so does every connection of
    /// the board (<see cref="PollingPlatform"/> does not implement this) and of other systems.
    /// Every call returns at once; nothing is allocated except by <see cref="RemoteOf"/> and <see cref="Adopt"/>.
    /// </summary>
    public interface IDescriptorPlatform : IReadinessPlatform
    {
        /// <summary>Accepts one waiting connection (non-blocking, options set): its descriptor, or -1 when none could be had.</summary>
        int Accept(Socket listener);

        /// <summary>An accepted descriptor now holds this slot: watch it for reading.</summary>
        void Opened(int fd, int slot);

        /// <summary>Reads up to count bytes (count &gt; 0): the bytes read, 0 for "nothing now", -1 when the peer closed or the read failed (<see cref="LastError"/>).</summary>
        int Receive(int fd, byte[] buffer, int offset, int count);

        /// <summary>Sends up to count bytes (count &gt; 0): the bytes taken, 0 for "not now", -1 when the connection failed (<see cref="LastError"/>).</summary>
        int Send(int fd, byte[] buffer, int offset, int count);

        /// <summary>The error of the last Receive or Send that returned -1: 0 for an orderly close by the peer, else a positive code.</summary>
        int LastError { get; }

        /// <summary>Shuts down the send side (FIN after the last packet); true when it did.</summary>
        bool HalfClose(int fd);

        /// <summary>Reads (a bounded amount of) what the peer sent and nobody will process, then closes (see Quiet.Close).</summary>
        void Close(int fd);

        /// <summary>The peer's address for a log line, or null when the connection is already gone. Allocates.</summary>
        EndPoint RemoteOf(int fd);

        /// <summary>Wraps the descriptor in a Socket that owns it, for the rare paths that need one (the overflow room).</summary>
        Socket Adopt(int fd);
    }
}
