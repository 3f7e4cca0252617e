using System.Collections.Generic;
using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A TCP relay on a loopback port of its own to a target port, whose connections the test can cut at once (both
    /// sockets closed, as a broken link or a NAT time-out would): what sits between a bridge and its upstream when the
    /// network fails while both brokers stay up.
    /// </summary>
    public sealed class CuttingProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _target;
        private readonly List<Socket> _open = new List<Socket>();
        private int _accepted;

        public CuttingProxy(int targetPort)
        {
            _target = targetPort;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

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

                _ = Pump(inbound, outbound);
                _ = Pump(outbound, inbound);
            }
        }

        private static async Task Pump(Socket from, Socket to)
        {
            byte[] buffer = new byte[16384];
            try
            {
                while (true)
                {
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0)
                    {
                        break;
                    }

                    await to.SendAsync(new ArraySegment<byte>(buffer, 0, n), SocketFlags.None);
                }
            }
            catch (Exception)
            {
                // A cut (ours or the peer's): the other side is closed below.
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
