using System.Net.Sockets;
using System.Runtime.InteropServices;
using System;

namespace Broker.Host
{
    /// <summary>
    /// The Linux socket calls <see cref="EpollPlatform"/> makes on accepted connections' descriptors (issue 10: no
    /// .NET Socket per connection). Buffers pass as <c>ref byte</c> (pinned for the call, nothing allocated); every
    /// call is non-blocking (the descriptors are made with SOCK_NONBLOCK, and the flags say so again).
    /// </summary>
    public static class SocketCalls
    {
        public const int Eintr = 4;
        public const int Eagain = 11;
        public const int Epipe = 32;
        public const int Econnaborted = 103;
        public const int Econnreset = 104;
        public const int Etimedout = 110;

        private const int SockNonblock = 0x800;
        private const int SockCloexec = 0x80000;
        private const int MsgDontwait = 0x40;

        // A peer gone while we send must be an error return, not SIGPIPE (which would end the process).
        private const int MsgNosignal = 0x4000;
        private const int SolSocket = 1;
        private const int SoSndbuf = 7;
        private const int IpprotoTcp = 6;
        private const int TcpNodelay = 1;
        private const int ShutWr = 1;

        /// <summary>accept4 on a listener: a non-blocking, close-on-exec descriptor, or -1 (errno in <paramref name="errno"/>).</summary>
        public static int Accept(int listener, out int errno)
        {
            int fd = accept4(listener, IntPtr.Zero, IntPtr.Zero, SockNonblock | SockCloexec);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }

        /// <summary>recv: bytes read, 0 at the peer's orderly close, -1 on error (errno).</summary>
        public static int Receive(int fd, byte[] buffer, int offset, int count, out int errno)
        {
            int n = (int)recv(fd, ref buffer[offset], count, MsgDontwait);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }

        /// <summary>send without SIGPIPE: bytes taken, -1 on error (errno).</summary>
        public static int Send(int fd, byte[] buffer, int offset, int count, out int errno)
        {
            int n = (int)send(fd, ref buffer[offset], count, MsgDontwait | MsgNosignal);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }

        /// <summary>TCP_NODELAY and the send buffer size; failures only mean a slower connection.</summary>
        public static void Configure(int fd, int sendBufferBytes)
        {
            int one = 1;
            setsockopt(fd, IpprotoTcp, TcpNodelay, ref one, sizeof(int));
            setsockopt(fd, SolSocket, SoSndbuf, ref sendBufferBytes, sizeof(int));
        }

        public static bool ShutdownSend(int fd)
        {
            return shutdown(fd, ShutWr) == 0;
        }

        public static void Close(int fd)
        {
            close(fd);
        }

        /// <summary>The IPv4 peer of fd as (address in network order, port), false when it has none (gone, or not IPv4).</summary>
        public static bool Peer(int fd, IntPtr sockaddr16, out uint address, out int port)
        {
            int length = 16;
            address = 0;
            port = 0;
            // struct sockaddr_in: family (2 bytes, AF_INET = 2), port (network order), address (network order).
            if (getpeername(fd, sockaddr16, ref length) != 0 || Marshal.ReadInt16(sockaddr16) != 2)
            {
                return false;
            }

            port = (Marshal.ReadByte(sockaddr16, 2) << 8) | Marshal.ReadByte(sockaddr16, 3);
            address = (uint)Marshal.ReadInt32(sockaddr16, 4);
            return true;
        }

        /// <summary>
        /// EAGAIN (nothing to read, no room to send) and EINTR (a signal came during the call; the next visit retries):
        /// "not now", not a failure of the connection.
        /// </summary>
        public static bool NotNow(int errno)
        {
            return errno == Eagain || errno == Eintr;
        }

        /// <summary>
        /// An errno as the SocketError the Socket path would have reported (ITransportLog.Failed and the log's "Socket
        /// error" line see the same codes either way); an errno without a match is passed through as it is.
        /// </summary>
        public static int AsSocketError(int errno)
        {
            switch (errno)
            {
                case Econnreset:
                    return (int)SocketError.ConnectionReset;
                case Econnaborted:
                    return (int)SocketError.ConnectionAborted;
                case Etimedout:
                    return (int)SocketError.TimedOut;
                case Epipe:
                    return (int)SocketError.Shutdown;
                default:
                    return errno > 0 ? errno : (int)SocketError.SocketError;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int accept4(int fd, IntPtr address, IntPtr length, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern nint recv(int fd, ref byte buffer, nint length, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern nint send(int fd, ref byte buffer, nint length, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int setsockopt(int fd, int level, int name, ref int value, int length);

        [DllImport("libc", SetLastError = true)]
        private static extern int shutdown(int fd, int how);

        [DllImport("libc", SetLastError = true)]
        private static extern int getpeername(int fd, IntPtr address, ref int length);

        [DllImport("libc")]
        private static extern int close(int fd);
    }
}
