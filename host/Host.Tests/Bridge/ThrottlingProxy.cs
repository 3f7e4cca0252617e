using System.Collections.Generic;
using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A TCP relay on a loopback port of its own to a target port whose client-to-target direction can be slowed to a
    /// trickle (a slow uplink: a GSM modem, a congested site link), with small socket buffers so the sender feels it at
    /// once instead of after the kernel has queued megabytes. Fast again when Throttled is cleared.
    /// </summary>
    public sealed class ThrottlingProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _target;
        private readonly List<Socket> _open = new List<Socket>();

        public ThrottlingProxy(int targetPort, int bytesPerTick, int tickMs)
        {
            _target = targetPort;
            BytesPerTick = bytesPerTick;
            TickMs = tickMs;
            // Inherited by the accepted sockets: a small window towards the sender.
            _listener.Server.ReceiveBufferSize = 2048;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public int BytesPerTick { get; }

        public int TickMs { get; }

        /// <summary>While true, client-to-target bytes pass at BytesPerTick per TickMs.</summary>
        public volatile bool Throttled = true;

        private async Task AcceptLoop()
        {
            while (true)
            {
                Socket inbound;
                try
                {
                    inbound = await _listener.AcceptSocketAsync();
                }
                catch (Exception)
                {
                    return;
                }

                inbound.ReceiveBufferSize = 2048;
                Socket outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, _target);
                }
                catch (SocketException)
                {
                    inbound.Close(0);
                    outbound.Close(0);
                    continue;
                }

                lock (_open)
                {
                    _open.Add(inbound);
                    _open.Add(outbound);
                }

                _ = Pump(inbound, outbound, true);
                _ = Pump(outbound, inbound, false);
            }
        }

        private async Task Pump(Socket from, Socket to, bool uplink)
        {
            byte[] buffer = new byte[16384];
            try
            {
                while (true)
                {
                    bool slow = uplink && Throttled;
                    int n = await from.ReceiveAsync(new ArraySegment<byte>(buffer, 0, slow ? BytesPerTick : buffer.Length), SocketFlags.None);
                    if (n == 0)
                    {
                        break;
                    }

                    await to.SendAsync(new ArraySegment<byte>(buffer, 0, n), SocketFlags.None);
                    if (slow)
                    {
                        await Task.Delay(TickMs);
                    }
                }
            }
            catch (Exception)
            {
                // Closed by the other side or at Dispose.
            }

            from.Close(0);
            to.Close(0);
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_open)
            {
                foreach (Socket s in _open)
                {
                    s.Close(0);
                }

                _open.Clear();
            }
        }
    }
}
