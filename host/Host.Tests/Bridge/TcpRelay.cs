using System.Collections.Generic;
using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A TCP relay on a loopback port of its own to a target port: what sits between a bridge and its upstream when the
    /// network misbehaves while both brokers stay up. The test can cut every connection at once (both sockets closed,
    /// as a broken link or a NAT time-out would: CutAll), or, made with a throttle, slow the client-to-target direction
    /// to a trickle (a slow uplink: a GSM modem, a congested site link) with small socket buffers, so the sender feels
    /// it at once instead of after the kernel has queued megabytes; fast again when Throttled is cleared.
    /// </summary>
    public sealed class TcpRelay : IDisposable
    {
        private const int ThrottledBuffer = 2048;
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _target;
        private readonly List<Socket> _open = new List<Socket>();
        private int _accepted;

        /// <param name="bytesPerTick">0: no throttle; else client-to-target bytes pass at this many per tickMs while Throttled.</param>
        public TcpRelay(int targetPort, int bytesPerTick = 0, int tickMs = 0)
        {
            _target = targetPort;
            BytesPerTick = bytesPerTick;
            TickMs = tickMs;
            Throttled = bytesPerTick > 0;
            if (Throttled)
            {
                // Inherited by the accepted sockets: a small window towards the sender.
                _listener.Server.ReceiveBufferSize = ThrottledBuffer;
            }

            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public int BytesPerTick { get; }

        public int TickMs { get; }

        /// <summary>While true (and made with a throttle), client-to-target bytes pass at BytesPerTick per TickMs.</summary>
        public volatile bool Throttled;

        /// <summary>While true, a connection is closed as soon as it is accepted (the target looks down to the client).</summary>
        public volatile bool Refusing;

        /// <summary>Connections relayed so far (a reconnect after a cut makes it grow).</summary>
        public int Accepted { get { lock (_open) { return _accepted; } } }

        /// <summary>Closes every relayed connection, both sides; returns how many it cut.</summary>
        public int CutAll()
        {
            lock (_open)
            {
                foreach (Socket s in _open)
                {
                    s.Close(0);
                }

                int n = _open.Count / 2;
                _open.Clear();
                return n;
            }
        }

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

                if (Refusing)
                {
                    inbound.Close(0);
                    continue;
                }

                if (BytesPerTick > 0)
                {
                    inbound.ReceiveBufferSize = ThrottledBuffer;
                }

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
                    _accepted++;
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
                    bool slow = uplink && BytesPerTick > 0 && Throttled;
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
                // A cut (ours or the peer's), or Dispose: the other side is closed below.
            }

            from.Close(0);
            to.Close(0);
        }

        public void Dispose()
        {
            _listener.Stop();
            CutAll();
        }
    }
}
