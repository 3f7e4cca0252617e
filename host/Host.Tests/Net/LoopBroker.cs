using System.Collections.Concurrent;
using System.Net;
using System.Threading;
using System;
using Device.Broker;
using Device.Net;

namespace Host.Tests
{
    /// <summary>
    /// The engine behind the real socket transport on a loopback port of its own, its loop on a background thread,
    /// so a test can look at the engine's counters and the transport's sockets while clients talk to it.
    /// </summary>
    public sealed class LoopBroker : IDisposable, ITransportLog
    {
        private readonly Thread _thread;

        /// <param name="hostPlatform">The PC's transport platform (Broker.Host's SelectPlatform) instead of the board's.</param>
        /// <param name="wrap">Puts something between the transport and the engine (a fault injector), or null.</param>
        public LoopBroker(BrokerOptions options, bool startThread = true, bool hostPlatform = false, Func<BrokerEngine, IEngine> wrap = null)
        {
            Engine = new BrokerEngine(options);
            Platform = hostPlatform ? Broker.Host.BrokerHost.Platform() : new PollingPlatform(0);
            IEngine seen = wrap != null ? wrap(Engine) : Engine;
            Transport = new SocketTransport(seen, options.Connections, this, () => Environment.TickCount64, Platform);
            Transport.Start(IPAddress.Loopback, 0, 64);
            if (startThread)
            {
                _thread = new Thread(Transport.Run) { IsBackground = true, Name = "broker loop" };
                _thread.Start();
            }
        }

        public BrokerEngine Engine { get; }

        /// <summary>The transport's platform (on Linux the host one keeps connections as descriptors: IDescriptorPlatform).</summary>
        public ISocketPlatform Platform { get; }

        public SocketTransport Transport { get; }

        public int Port { get { return Transport.Port; } }

        /// <summary>Every ITransportLog call, as text, in order.</summary>
        public ConcurrentQueue<string> Events { get; } = new ConcurrentQueue<string>();

        /// <summary>Small limits so a test can fill them: a dozen clients, 4 KB packets.</summary>
        public static BrokerOptions Small(int clients, int spare)
        {
            BrokerOptions o = BrokerOptions.Host();
            o.MaxClients = clients;
            o.SpareConnections = spare;
            o.MaxPacketSize = 4096;
            o.TxBufferSize = 16384;
            o.MaxPersistentSessions = 16;
            return o;
        }

        /// <summary>Polls a condition the loop thread makes true; false when it did not within the time given.</summary>
        public static bool Eventually(Func<bool> condition, TimeSpan within)
        {
            DateTime end = DateTime.UtcNow + within;
            while (!condition())
            {
                if (DateTime.UtcNow > end)
                {
                    return false;
                }

                Thread.Sleep(5);
            }

            return true;
        }

        public void Opened(int connection, EndPoint remote)
        {
            Events.Enqueue("opened " + connection);
        }

        public void Refused(EndPoint remote, bool sentConnack)
        {
            Events.Enqueue(sentConnack ? "refused with CONNACK 3" : "refused by closing");
        }

        public void Failed(int connection, int socketError)
        {
            Events.Enqueue("failed " + connection + " " + socketError);
        }

        public void Faulted(int connection, Exception error)
        {
            Events.Enqueue("faulted " + connection + " " + error.GetType().Name + ": " + error.Message);
        }

        public void Dispose()
        {
            Transport.Stop();
            _thread?.Join(TimeSpan.FromSeconds(10));
        }
    }
}
