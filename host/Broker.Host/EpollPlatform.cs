using System.Net.Sockets;
using System;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// The PC's transport platform on Linux: sockets as in <see cref="SelectPlatform"/> (non-blocking, large send
    /// buffer, a send takes what the kernel will), but readiness from one level-triggered epoll set, so a pass over
    /// 10,000 connections asks only the readable ones for their bytes (<see cref="IReadinessPlatform"/>) and an idle
    /// loop waits in epoll_wait, whose cost grows with the sockets that are ready, not with those that are open
    /// (Socket.Select over n sockets is O(n) per call, and .NET copies the lists each time).
    ///
    /// Interest follows the transport: a socket whose connection the engine is holding (back-pressure, wantsRead
    /// false) is not watched for reading, or the level-triggered set would wake the loop at once, again and again;
    /// one with output waiting (wantsWrite) is also watched for writing, so the wait ends when it drains.
    /// Per fd the platform keeps its interest and a "ready" flag; fd numbers are small and reused by the kernel,
    /// and a closed socket leaves the epoll set by itself. Nothing is allocated per wait.
    /// </summary>
    public sealed class EpollPlatform : IReadinessPlatform, IDisposable
    {
        private const int IdleMilliseconds = 2;
        private const int EventsPerWait = 1024;

        private readonly SelectPlatform _sockets = new SelectPlatform();
        private readonly Epoll _epoll = new Epoll(EventsPerWait);
        private uint[] _interest = new uint[1024];
        private bool[] _ready = new bool[1024];
        private bool[] _listener = new bool[1024];

        // Per transport slot, the socket last seen there and its fd: Socket.SafeHandle on every slot every pass
        // was a tenth of the loop's time with 1,000 connections.
        private Socket[] _slotSocket;
        private int[] _slotFd;

        // The transport's span of open slots (Bound); -1 until told: every slot.
        private int _bound = -1;

        public void Accepted(Socket s)
        {
            _sockets.Accepted(s);
            int fd = Fd(s);
            Room(fd);
            // A client socket may reuse the number of a listener closed earlier (a test's broker gone).
            _listener[fd] = false;
            _epoll.Add(fd, Epoll.In | Epoll.RdHup);
            _interest[fd] = Epoll.In;
            // CONNECT may be in the socket already; the first pass looks.
            _ready[fd] = true;
        }

        public int Send(Socket s, byte[] buffer, int offset, int count)
        {
            return _sockets.Send(s, buffer, offset, count);
        }

        public bool HalfClose(Socket s)
        {
            return _sockets.HalfClose(s);
        }

        public bool MayRead(Socket s, int slot)
        {
            // Socket.SafeHandle for every open socket every pass was half the loop's time with 6,000 idle clients.
            int fd = SlotFd(s, slot);
            if (fd >= _ready.Length)
            {
                return true;
            }

            bool ready = _ready[fd];
            _ready[fd] = false;
            return ready;
        }

        public void Bound(int slots)
        {
            _bound = slots;
        }

        public void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            Collect(listeners, sockets, wantsRead, wantsWrite, IdleMilliseconds);
        }

        public void Refresh(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            Collect(listeners, sockets, wantsRead, wantsWrite, 0);
        }

        public void Dispose()
        {
            _epoll.Dispose();
        }

        private void Collect(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite, int timeoutMs)
        {
            // Listeners are watched too, so a connection arriving ends the wait (the transport accepts by polling them).
            for (int l = 0; listeners != null && l < listeners.Length; l++)
            {
                int lfd = listeners[l] != null ? Fd(listeners[l]) : -1;
                if (lfd >= 0)
                {
                    Room(lfd);
                    if (!_listener[lfd])
                    {
                        _listener[lfd] = true;
                        _epoll.Add(lfd, Epoll.In);
                    }
                }
            }

            if (_slotSocket == null || _slotSocket.Length < sockets.Length)
            {
                Array.Resize(ref _slotSocket, sockets.Length);
                Array.Resize(ref _slotFd, sockets.Length);
            }

            // Interest follows the transport's flags; epoll_ctl only where they changed (a scan of two arrays).
            int slots = _bound >= 0 && _bound < sockets.Length ? _bound : sockets.Length;
            for (int c = 0; c < slots; c++)
            {
                Socket s = sockets[c];
                if (s == null)
                {
                    continue;
                }

                int fd = SlotFd(s, c);
                if (fd < 0 || fd >= _interest.Length)
                {
                    continue;
                }

                uint want = (wantsRead[c] ? Epoll.In : 0) | (wantsWrite[c] ? Epoll.Out : 0);
                if (want != _interest[fd])
                {
                    _epoll.Watch(fd, want | Epoll.RdHup);
                    _interest[fd] = want;
                }
            }

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
                if (fd >= 0 && fd < _ready.Length && !_listener[fd] && (_epoll.Events(i) & (Epoll.In | Epoll.Hup | Epoll.Err | Epoll.RdHup)) != 0)
                {
                    _ready[fd] = true;
                }
            }
        }

        /// <summary>The fd of s, from the slot's cache when s is the socket last seen in that slot.</summary>
        private int SlotFd(Socket s, int slot)
        {
            if (_slotSocket == null || slot >= _slotSocket.Length)
            {
                return Fd(s);
            }

            if (!ReferenceEquals(_slotSocket[slot], s))
            {
                _slotSocket[slot] = s;
                _slotFd[slot] = Fd(s);
            }

            return _slotFd[slot];
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

        private void Room(int fd)
        {
            if (fd < _ready.Length)
            {
                return;
            }

            int size = _ready.Length;
            while (size <= fd)
            {
                size *= 2;
            }

            Array.Resize(ref _ready, size);
            Array.Resize(ref _interest, size);
            Array.Resize(ref _listener, size);
        }
    }
}
