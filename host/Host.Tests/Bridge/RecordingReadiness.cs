using System.Net.Sockets;
using System.Threading;
using Device.Net;

namespace Host.Tests
{
    /// <summary>
    /// The PC's epoll platform with a record of what concerns slots from <see cref="FirstBridgeSlot"/> up (the bridges'
    /// upstream sockets): registered, and reported ready by the kernel's wait. Everything else is passed through.
    /// </summary>
    public sealed class RecordingReadiness : IReadinessPlatform
    {
        private readonly IReadinessPlatform _inner;
        private int _opened;
        private int _reported;

        public RecordingReadiness(IReadinessPlatform inner, int firstBridgeSlot)
        {
            _inner = inner;
            FirstBridgeSlot = firstBridgeSlot;
        }

        public int FirstBridgeSlot { get; }

        /// <summary>Upstream sockets registered under a bridge slot.</summary>
        public int BridgeOpened { get { return Volatile.Read(ref _opened); } }

        /// <summary>Times a wait reported a bridge slot ready (readable, writable or closed).</summary>
        public int BridgeReported { get { return Volatile.Read(ref _reported); } }

        public void Opened(Socket s, int slot)
        {
            if (slot >= FirstBridgeSlot)
            {
                Interlocked.Increment(ref _opened);
            }

            _inner.Opened(s, slot);
        }

        public void Interest(int slot, bool read, bool write)
        {
            _inner.Interest(slot, read, write);
        }

        public int TakeReady()
        {
            int slot = _inner.TakeReady();
            if (slot >= FirstBridgeSlot)
            {
                Interlocked.Increment(ref _reported);
            }

            return slot;
        }

        public void Refresh(Socket[] listeners)
        {
            _inner.Refresh(listeners);
        }

        public void Accepted(Socket s)
        {
            _inner.Accepted(s);
        }

        public int Send(Socket s, byte[] buffer, int offset, int count)
        {
            return _inner.Send(s, buffer, offset, count);
        }

        public void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            _inner.Idle(listeners, sockets, wantsRead, wantsWrite);
        }

        public bool HalfClose(Socket s)
        {
            return _inner.HalfClose(s);
        }
    }
}
