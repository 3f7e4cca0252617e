using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Threading.Tasks;
using System;

namespace Fuzz.Process
{
    /// <summary>
    /// A loopback relay in front of the broker for one client connection (like host/Host.Tests/Interop/Relay.cs),
    /// which keeps every byte the client sent: that stream, split into packets, is a seed session.
    /// </summary>
    public sealed class RecordingRelay : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _target;
        private readonly MemoryStream _fromClient = new MemoryStream();
        private readonly TaskCompletionSource<bool> _done = new TaskCompletionSource<bool>();

        public RecordingRelay(int targetPort)
        {
            _target = targetPort;
            _listener.Start();
            _ = Task.Run(AcceptOne);
        }

        public int Port { get { return ((IPEndPoint)_listener.LocalEndpoint).Port; } }

        /// <summary>What the client sent, once it closed its side (or after the timeout).</summary>
        public byte[] Recorded(TimeSpan timeout)
        {
            _done.Task.Wait(timeout);
            lock (_fromClient)
            {
                return _fromClient.ToArray();
            }
        }

        private async Task AcceptOne()
        {
            try
            {
                using Socket client = await _listener.AcceptSocketAsync();
                using Socket server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _target));
                Task up = Pump(client, server, true);
                Task down = Pump(server, client, false);
                await up;
                await Task.WhenAny(down, Task.Delay(2000));
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }
            _done.TrySetResult(true);
        }

        private async Task Pump(Socket from, Socket to, bool record)
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
                    if (record)
                    {
                        lock (_fromClient)
                        {
                            _fromClient.Write(buffer, 0, n);
                        }
                    }
                    await to.SendAsync(new ArraySegment<byte>(buffer, 0, n), SocketFlags.None);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _listener.Stop();
        }
    }
}
