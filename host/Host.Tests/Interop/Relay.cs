using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A loopback TCP relay in front of the broker. A client connected through it can be "killed" (the network
    /// drops it, no DISCONNECT sent) without ending its process, as for a library client like MQTTnet.
    /// </summary>
    public sealed class Relay : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _target;
        private Socket _client;
        private Socket _server;

        public Relay(int targetPort)
        {
            _target = targetPort;
            _listener.Start();
            _ = Task.Run(AcceptOne);
        }

        public int Port { get { return ((IPEndPoint)_listener.LocalEndpoint).Port; } }

        private async Task AcceptOne()
        {
            try
            {
                _client = await _listener.AcceptSocketAsync();
                _server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await _server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target));
                _ = Pump(_client, _server);
                _ = Pump(_server, _client);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }
        }

        private static async Task Pump(Socket from, Socket to)
        {
            byte[] buffer = new byte[8192];
            try
            {
                while (true)
                {
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await to.SendAsync(new ArraySegment<byte>(buffer, 0, n), SocketFlags.None);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }
        }

        /// <summary>Drops both sides at once: the broker sees its peer close mid-session.</summary>
        public void Cut()
        {
            _server?.Close();
            _client?.Close();
        }

        public void Dispose()
        {
            Cut();
            _listener.Stop();
        }
    }
}
