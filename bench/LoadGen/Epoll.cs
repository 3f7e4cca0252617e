using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System;

namespace LoadGen
{
    /// <summary>
    /// Linux epoll, so one load-generator thread serves every connection of a run the way Mosquitto does:
    /// a thread per client cost as much CPU in wake-ups and context switches as the broker spent routing,
    /// and on a 2-core machine whatever the load generator burns is taken from the broker.
    /// </summary>
    public sealed class Epoll : IDisposable
    {
        public const uint In = 0x001;
        public const uint Out = 0x004;
        public const uint Err = 0x008;
        public const uint Hup = 0x010;

        private const int CtlAdd = 1;
        private const int CtlMod = 3;

        // struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the 64-bit data is 8-aligned (16 bytes).
        private static readonly bool Packed = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        private static readonly int EventSize = Packed ? 12 : 16;
        private static readonly int DataOffset = Packed ? 4 : 8;

        private readonly int fd;
        private readonly IntPtr events;
        private readonly IntPtr one;
        private readonly int capacity;

        public Epoll(int capacity)
        {
            fd = epoll_create1(0x80000);
            if (fd < 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), "epoll_create1");
            }

            this.capacity = capacity;
            events = Marshal.AllocHGlobal(EventSize * capacity);
            one = Marshal.AllocHGlobal(EventSize);
        }

        public void Add(Socket s, int token, uint interest) => Control(CtlAdd, s, token, interest);

        public void Modify(Socket s, int token, uint interest) => Control(CtlMod, s, token, interest);

        /// <summary>Waits up to timeoutMs; returns how many events are ready, read them with Token/Events(i).</summary>
        public int Wait(int timeoutMs)
        {
            int n = epoll_wait(fd, events, capacity, timeoutMs);
            if (n < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == 4)
                {
                    return 0; // EINTR: a signal, not a failure
                }

                throw new Win32Exception(errno, "epoll_wait");
            }

            return n;
        }

        public int Token(int i) => (int)Marshal.ReadInt64(events, i * EventSize + DataOffset);

        public uint Events(int i) => (uint)Marshal.ReadInt32(events, i * EventSize);

        public void Dispose()
        {
            close(fd);
            Marshal.FreeHGlobal(events);
            Marshal.FreeHGlobal(one);
        }

        private void Control(int op, Socket s, int token, uint interest)
        {
            Marshal.WriteInt32(one, 0, (int)interest);
            Marshal.WriteInt64(one, DataOffset, token);
            if (epoll_ctl(fd, op, (int)s.SafeHandle.DangerousGetHandle(), one) != 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), "epoll_ctl");
            }
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
