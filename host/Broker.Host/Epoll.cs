using System.ComponentModel;
using System.Runtime.InteropServices;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Linux epoll through libc (as bench/LoadGen has it): .NET's own socket engine offers readiness only to
    /// async operations, and Socket.Select/Poll over thousands of sockets walks them all on every call.
    /// </summary>
    public sealed class Epoll : IDisposable
    {
        public const uint In = 0x001;
        public const uint Out = 0x004;
        public const uint Err = 0x008;
        public const uint Hup = 0x010;
        public const uint RdHup = 0x2000;

        private const int CtlAdd = 1;
        private const int CtlDel = 2;
        private const int CtlMod = 3;
        private const int Eexist = 17;
        private const int Enoent = 2;

        // struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the 64-bit data is 8-aligned (16 bytes).
        private static readonly bool Packed = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        private static readonly int EventSize = Packed ? 12 : 16;
        private static readonly int DataOffset = Packed ? 4 : 8;

        private readonly int _fd;
        private readonly IntPtr _events;
        private readonly IntPtr _one;
        private readonly int _capacity;

        public Epoll(int capacity)
        {
            _fd = epoll_create1(0x80000);
            if (_fd < 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), "epoll_create1");
            }

            _capacity = capacity;
            _events = Marshal.AllocHGlobal(EventSize * capacity);
            _one = Marshal.AllocHGlobal(EventSize);
        }

        /// <summary>Linux only (epoll): elsewhere the host uses SelectPlatform.</summary>
        public static bool Supported { get { return OperatingSystem.IsLinux(); } }

        /// <summary>Watches fd for interest (adds it, or changes it when already watched); false when the fd is gone.</summary>
        public bool Watch(int fd, uint interest)
        {
            if (Control(CtlMod, fd, interest) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == Enoent)
            {
                return Control(CtlAdd, fd, interest) == 0 || Marshal.GetLastWin32Error() == Eexist;
            }

            return false;
        }

        /// <summary>Adds fd (a new socket: a reused fd number was removed from the set when its old socket closed).</summary>
        public bool Add(int fd, uint interest)
        {
            if (Control(CtlAdd, fd, interest) == 0)
            {
                return true;
            }

            return Marshal.GetLastWin32Error() == Eexist && Control(CtlMod, fd, interest) == 0;
        }

        public void Remove(int fd)
        {
            Control(CtlDel, fd, 0);
        }

        /// <summary>Waits up to timeoutMs; returns how many events are ready (read them with Fd/Events(i)); 0 on EINTR.</summary>
        public int Wait(int timeoutMs)
        {
            int n = epoll_wait(_fd, _events, _capacity, timeoutMs);
            if (n < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == 4)
                {
                    return 0;
                }

                throw new Win32Exception(errno, "epoll_wait");
            }

            return n;
        }

        public int Fd(int i)
        {
            return (int)Marshal.ReadInt64(_events, i * EventSize + DataOffset);
        }

        public uint Events(int i)
        {
            return (uint)Marshal.ReadInt32(_events, i * EventSize);
        }

        public void Dispose()
        {
            close(_fd);
            Marshal.FreeHGlobal(_events);
            Marshal.FreeHGlobal(_one);
        }

        private int Control(int op, int fd, uint interest)
        {
            Marshal.WriteInt32(_one, 0, (int)interest);
            Marshal.WriteInt64(_one, DataOffset, fd);
            return epoll_ctl(_fd, op, fd, _one);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int epoll_create1(int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int epoll_ctl(int epfd, int op, int fd, IntPtr ev);

        [DllImport("libc", SetLastError = true)]
        private static extern int epoll_wait(int epfd, IntPtr events, int maxEvents, int timeout);

        [DllImport("libc")]
        private static extern int close(int fd);
    }
}
