using System.Collections;
using System.Net.Sockets;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// The PC's <see cref="ISocketPlatform"/>: accepted sockets are non-blocking with a large send buffer, a send
    /// gives the kernel all it will take (WouldBlock is "try later", so a slow subscriber never holds up the loop),
    /// and an idle loop waits in <see cref="Socket.Select"/> over the listener and every socket (writable too for
    /// those with output waiting) instead of sleeping, so it wakes the moment a PUBACK arrives. Nothing allocated
    /// per wait: the lists are reused.
    /// </summary>
    public sealed class SelectPlatform : ISocketPlatform
    {
        private const int SendBufferBytes = 256 * 1024;
        // Short, so the engine's Tick still runs on time when nothing moves.
        private const int IdleMicroseconds = 2000;

        private readonly ArrayList _read = new ArrayList();
        private readonly ArrayList _write = new ArrayList();

        public void Accepted(Socket s)
        {
            s.Blocking = false;
            try
            {
                s.SendBufferSize = SendBufferBytes;
            }
            catch (SocketException)
            {
                // The default buffer only means more, smaller sends.
            }
        }

        public int Send(Socket s, byte[] buffer, int offset, int count)
        {
            SocketError error;
            int sent = s.Send(buffer, offset, count, SocketFlags.None, out error);
            if (error == SocketError.Success)
            {
                return sent > 0 ? sent : 0;
            }

            if (error == SocketError.WouldBlock)
            {
                return 0;
            }

            throw new SocketException((int)error);
        }

        /// <summary>Shutdown(Send): the client sees FIN after the last packet; the transport then drains until it closes.</summary>
        public bool HalfClose(Socket s)
        {
            try
            {
                s.Shutdown(SocketShutdown.Send);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        public void Idle(Socket[] listeners, Socket[] sockets, bool[] wantsRead, bool[] wantsWrite)
        {
            _read.Clear();
            _write.Clear();
            foreach (Socket listener in listeners)
            {
                if (listener != null)
                {
                    _read.Add(listener);
                }
            }

            for (int c = 0; c < sockets.Length; c++)
            {
                Socket s = sockets[c];
                if (s != null)
                {
                    if (wantsRead[c])
                    {
                        _read.Add(s);
                    }

                    if (wantsWrite[c])
                    {
                        _write.Add(s);
                    }
                }
            }

            if (_read.Count == 0 && _write.Count == 0)
            {
                System.Threading.Thread.Sleep(1);
                return;
            }

            try
            {
                Socket.Select(_read.Count > 0 ? _read : null, _write.Count > 0 ? _write : null, null, IdleMicroseconds);
            }
            catch (SocketException)
            {
                // The next pass finds the failing socket and drops it.
            }
            catch (System.ObjectDisposedException)
            {
            }
        }
    }
}
