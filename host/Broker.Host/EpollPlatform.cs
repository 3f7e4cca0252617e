using System.Net.Sockets;
using System.Net;
using System.Runtime.InteropServices;
using System;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// The PC's transport platform on Linux: sockets as in <see cref="SelectPlatform"/> (non-blocking, large send
    /// buffer, a send takes what the kernel will), but readiness from one level-triggered epoll set, so the transport
    /// visits only the connections whose sockets have something to do (<see cref="IReadinessPlatform"/>) and an idle
    /// loop waits in epoll_wait, whose cost grows with the sockets that are ready, not with those that are open
    /// (Socket.Select over n sockets is O(n) per call, and .NET copies the lists each time).
    ///
    /// Interest follows the transport (<see cref="Interest"/>, after each visit): a socket whose connection the engine
    /// is holding (back-pressure) is not watched for reading, or the level-triggered set would wake the loop at once,
    /// again and again; one with output waiting is also watched for writing, so the wait ends when it drains. epoll_ctl
    /// is called only when the interest changes. Each socket's epoll data is its fd; a table maps fds (small numbers the
    /// kernel reuses) to transport slots, and a closed socket leaves the epoll set by itself. Nothing is allocated per
    /// wait.
    ///
    /// Accepted connections are bare descriptors (<see cref="IDescriptorPlatform"/>, <see cref="SocketCalls"/>):
    /// accept4 on the listener's descriptor, then recv/send with MSG_DONTWAIT (send with MSG_NOSIGNAL), shutdown and
    /// close, so a connection makes no Socket, SafeSocketHandle, SocketAsyncContext (and its locks) or IPEndPoint,
    /// and a read or a send is one system call (Socket.Receive on Unix asked Available and Poll first). EAGAIN and
    /// EINTR are "not now"; any other error ends that connection only. Listeners stay Sockets.
    /// </summary>
    public sealed class EpollPlatform : IDescriptorPlatform, IDisposable
    {
        // As SelectPlatform's: a send takes what the kernel will, so a large buffer means fewer, larger sends.
        private const int SendBufferBytes = 256 * 1024;
        private const int CloseDrainReads = 16;
        private const int IdleMilliseconds = 2;
        private const int EventsPerWait = 1024;

        private readonly SelectPlatform _sockets = new SelectPlatform();
        private readonly Epoll _epoll = new Epoll(EventsPerWait);

        // Per fd: the slot its socket holds, and whether it is one of our listeners (not reported).
        private int[] _slotOf = new int[1024];
        private bool[] _listener = new bool[1024];

        // Per slot: its socket's fd and what epoll watches it for.
        private int[] _fdOf = new int[1024];
        private uint[] _interest = new uint[1024];

        private readonly byte[] _drain = new byte[256];

        // getpeername's struct sockaddr_in, for log lines only.
        private readonly IntPtr _sockaddr = Marshal.AllocHGlobal(16);

        // The slots the last wait reported, for TakeReady.
        private readonly int[] _ready = new int[EventsPerWait];
        private int _readyCount;
        private int _readyNext;

        public void Accepted(Socket s)
        {
            _sockets.Accepted(s);
        }

        public void Opened(Socket s, int slot)
        {
            Opened(Fd(s), slot);
        }

        public void Opened(int fd, int slot)
        {
            if (fd < 0)
            {
                return;
            }

            FdRoom(fd);
            SlotRoom(slot);
            // A client socket may reuse the number of a listener closed earlier (a test's broker gone).
            _listener[fd] = false;
            _slotOf[fd] = slot;
            _fdOf[slot] = fd;
            _epoll.Add(fd, Epoll.In | Epoll.RdHup);
            _interest[slot] = Epoll.In;
        }

        public void Interest(int slot, bool read, bool write)
        {
            uint want = (read ? Epoll.In : 0) | (write ? Epoll.Out : 0);
            if (slot < _interest.Length && want != _interest[slot])
            {
                // RDHUP only with reading: a held connection's peer half-closing must not wake every wait.
                _epoll.Watch(_fdOf[slot], want | (read ? Epoll.RdHup : 0));
                _interest[slot] = want;
            }
        }

        public int TakeReady()
        {
            return _readyNext < _readyCount ? _ready[_readyNext++] : -1;
        }

        public int Send(Socket s, byte[] buffer, int offset, int count)
        {
            return _sockets.Send(s, buffer, offset, count);
        }

        public bool HalfClose(Socket s)
        {
            return _sockets.HalfClose(s);
        }

        public void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            Collect(listeners, IdleMilliseconds);
        }

        public void Refresh(Socket[] listeners)
        {
            Collect(listeners, 0);
        }

        public int LastError { get; private set; }

        public int Accept(Socket listener)
        {
            int lfd = Fd(listener);
            if (lfd < 0)
            {
                return -1;
            }

            // EAGAIN (another took it), EINTR, ECONNABORTED (reset while waiting), EMFILE: nothing to take now.
            int fd = SocketCalls.Accept(lfd, out _);
            if (fd >= 0)
            {
                SocketCalls.Configure(fd, SendBufferBytes);
            }

            return fd;
        }

        public int Receive(int fd, byte[] buffer, int offset, int count)
        {
            int n = SocketCalls.Receive(fd, buffer, offset, count, out int errno);
            if (n > 0)
            {
                return n;
            }

            if (n == 0)
            {
                // The peer's FIN: an orderly close.
                LastError = 0;
                return -1;
            }

            if (SocketCalls.NotNow(errno))
            {
                return 0;
            }

            // A reset read is the peer gone, reported as the Socket path reported it (Available 0 while readable: it
            // never saw the reset), so the log still says "closed its connection" (MqttNetClientTests' cut relay).
            LastError = errno == SocketCalls.Econnreset ? 0 : SocketCalls.AsSocketError(errno);
            return -1;
        }

        public int Send(int fd, byte[] buffer, int offset, int count)
        {
            int n = SocketCalls.Send(fd, buffer, offset, count, out int errno);
            if (n >= 0)
            {
                return n;
            }

            if (SocketCalls.NotNow(errno))
            {
                return 0;
            }

            // As SelectPlatform.Send: the transport drops this one connection with the error's code.
            throw new SocketException(SocketCalls.AsSocketError(errno));
        }

        public bool HalfClose(int fd)
        {
            return SocketCalls.ShutdownSend(fd);
        }

        public void Close(int fd)
        {
            // As Quiet.Close: unread input would turn the close into a reset that can destroy the last packets sent.
            for (int i = 0; i < CloseDrainReads; i++)
            {
                if (SocketCalls.Receive(fd, _drain, 0, _drain.Length, out _) <= 0)
                {
                    break;
                }
            }

            // A closed descriptor leaves the epoll set by itself (nothing else holds it).
            SocketCalls.Close(fd);
        }

        public EndPoint RemoteOf(int fd)
        {
            if (!SocketCalls.Peer(fd, _sockaddr, out uint address, out int port))
            {
                return null;
            }

            return new IPEndPoint(new IPAddress(address), port);
        }

        public Socket Adopt(int fd)
        {
            try
            {
                // The descriptor is non-blocking (accept4): a Socket made from it must be told, or its first Send
                // throws InvalidOperationException ("an earlier asynchronous call is in progress").
                Socket s = new Socket(new SafeSocketHandle((IntPtr)fd, true));
                s.Blocking = false;
                return s;
            }
            catch (SocketException)
            {
                SocketCalls.Close(fd);
                return null;
            }
        }

        public void Dispose()
        {
            _epoll.Dispose();
            Marshal.FreeHGlobal(_sockaddr);
        }

        private void Collect(Socket[] listeners, int timeoutMs)
        {
            // Listeners are watched too, so a connection arriving ends the wait (the transport accepts by polling them).
            for (int l = 0; listeners != null && l < listeners.Length; l++)
            {
                int lfd = listeners[l] != null ? Fd(listeners[l]) : -1;
                if (lfd >= 0)
                {
                    FdRoom(lfd);
                    if (!_listener[lfd])
                    {
                        _listener[lfd] = true;
                        _epoll.Add(lfd, Epoll.In);
                    }
                }
            }

            _readyCount = 0;
            _readyNext = 0;
            int n;
            try
            {
                n = _epoll.Wait(timeoutMs);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return;
            }

            for (int i = 0; i < n; i++)
            {
                int fd = _epoll.Fd(i);
                if (fd >= 0 && fd < _slotOf.Length && !_listener[fd])
                {
                    _ready[_readyCount++] = _slotOf[fd];
                }
            }
        }

        private static int Fd(Socket s)
        {
            try
            {
                return (int)s.SafeHandle.DangerousGetHandle();
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }
        }

        private void FdRoom(int fd)
        {
            if (fd < _slotOf.Length)
            {
                return;
            }

            int size = _slotOf.Length;
            while (size <= fd)
            {
                size *= 2;
            }

            Array.Resize(ref _slotOf, size);
            Array.Resize(ref _listener, size);
        }

        private void SlotRoom(int slot)
        {
            if (slot < _fdOf.Length)
            {
                return;
            }

            int size = _fdOf.Length;
            while (size <= slot)
            {
                size *= 2;
            }

            Array.Resize(ref _fdOf, size);
            Array.Resize(ref _interest, size);
        }
    }
}
