using System.Net.Sockets;
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
    /// </summary>
    public sealed class EpollPlatform : IReadinessPlatform, IDisposable
    {
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
            int fd = Fd(s);
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

        public void Dispose()
        {
            _epoll.Dispose();
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
