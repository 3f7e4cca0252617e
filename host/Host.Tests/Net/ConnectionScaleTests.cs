using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using System;
using Device.Broker;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// The PC broker with its default (Host) options holds 10,000 clients over real sockets: all connected at once,
    /// each publishes one QoS 1 message to the next client's topic and receives one from the previous, and once
    /// connected no routed message allocates on the broker's thread (grown buffers come back from the pool,
    /// epoll readiness allocates nothing per wait).
    /// </summary>
    [Collection(WholeMachine.Name)]
    public class ConnectionScaleTests
    {
        private readonly ITestOutputHelper _out;

        public ConnectionScaleTests(ITestOutputHelper output)
        {
            _out = output;
        }

        /// <summary>
        /// Clients and broker share this process, so each connection costs two descriptors: the count is 10,000, or
        /// what the descriptor limit leaves (.NET raises the soft limit to the hard one at start-up).
        /// </summary>
        private static int ClientCount(out long limit)
        {
            limit = OpenFileLimit();
            long fit = (limit - 400) / 2;
            return (int)Math.Min(10000, fit);
        }

        [Fact]
        public void Ten_thousand_clients_connect_and_each_routes_one_message_without_allocating()
        {
            int n = ClientCount(out long limit);
            _out.WriteLine("open-file limit " + limit + ": " + n + " clients" + (n < 10000 ? " (fewer than 10,000: the limit allows no more with clients in-process)" : ""));
            Assert.True(n >= 1000, "the descriptor limit (" + limit + ") leaves room for too few clients to mean anything");

            BrokerOptions options = BrokerOptions.Host();
            Assert.True(options.MaxClients >= 10000, "the Host profile's default client limit");
            // The loop runs on this thread, by hand, so the allocation counter sees exactly the broker's work.
            using LoopBroker broker = new LoopBroker(options, startThread: false, hostPlatform: true);
            Assert.Equal(0, broker.Engine.Buffers.InUseBytes);

            List<RawClient> clients = new List<RawClient>(n);
            Task connect = Task.Run(() =>
            {
                for (int i = 0; i < n; i++)
                {
                    RawClient c = new RawClient(broker.Port);
                    clients.Add(c);
                    // Keep-alive 0: on a loaded machine connecting 10,000 clients can take longer than any keep-alive.
                    c.SendConnect("scale-" + i, keepAlive: 0);
                    byte[] f = System.Text.Encoding.ASCII.GetBytes("scale/" + i);
                    byte[] body = new byte[2 + 2 + f.Length + 1];
                    body[1] = 1;
                    body[3] = (byte)f.Length;
                    f.CopyTo(body, 4);
                    body[4 + f.Length] = 1;
                    c.Send(0x82, body);
                }

                foreach (RawClient c in clients)
                {
                    byte[] connack = c.ReadPacket(TimeSpan.FromSeconds(60));
                    Assert.True(connack != null && connack[0] == 0x20 && connack[3] == 0, "CONNACK 0 for every client");
                    byte[] suback = c.ReadPacket(TimeSpan.FromSeconds(60));
                    Assert.True(suback != null && suback[0] == 0x90 && suback[suback.Length - 1] == 1, "SUBACK granting QoS 1");
                }
            });
            try
            {
                Pump(broker, connect);
                Assert.Equal(n, broker.Engine.Counters.ClientsConnected);
                Assert.Equal(n, broker.Transport.OpenConnections);
                Assert.Equal(0, broker.Engine.Counters.ConnectionsRefused);
                // Idle clients hold no buffers (the next Tick gives back those a read left empty).
                broker.Transport.RunOnce(Environment.TickCount64 + 1000);
                Assert.Equal(0, broker.Engine.Buffers.InUseBytes);

                // Round 1 warms the pool up; rounds 2 and 3 are measured: a cost per message shows in both
                // (at least n bytes each), so the quieter must be 0.
                long allocated = long.MaxValue;
                for (int round = 1; round <= 3; round++)
                {
                    long sentBefore = broker.Engine.Counters.MessagesSent;
                    Task traffic = Task.Run(() => Round(clients, round));
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Pump(broker, traffic);
                    long spent = GC.GetAllocatedBytesForCurrentThread() - before;
                    _out.WriteLine("round " + round + ": " + (broker.Engine.Counters.MessagesSent - sentBefore) + " PUBLISH written, " + spent + " B allocated on the broker thread");
                    Assert.Equal(n, broker.Engine.Counters.MessagesSent - sentBefore);
                    if (round > 1)
                    {
                        allocated = Math.Min(allocated, spent);
                    }
                }

                Assert.Equal(0, allocated);
                Assert.Equal(n, broker.Engine.Counters.ClientsConnected);
                // The last PUBACKs may still be on their way: every message leaves the pool once they are read.
                Pump(broker, Task.Run(() => LoopBroker.Eventually(() => broker.Engine.Counters.StoredMessages == 0, TimeSpan.FromSeconds(60))));
                Assert.Equal(0, broker.Engine.Counters.StoredMessages);
                Assert.Equal(0, broker.Engine.Counters.MessagesDropped);
            }
            finally
            {
                Task close = Task.Run(() =>
                {
                    foreach (RawClient c in clients)
                    {
                        c.Socket.Close();
                    }
                });
                Pump(broker, close, allowFault: true);
                Pump(broker, Task.Run(() => LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0, TimeSpan.FromSeconds(1))), allowFault: true);
            }
        }

        /// <summary>Every client publishes to the next one's topic, then reads its PUBACK and the message from the previous (acking it).</summary>
        private static void Round(List<RawClient> clients, int round)
        {
            int n = clients.Count;
            for (int i = 0; i < n; i++)
            {
                byte[] payload = BitConverter.GetBytes(i * 10 + round);
                clients[i].Publish("scale/" + ((i + 1) % n), payload, 1, (ushort)(round + 1));
            }

            for (int i = 0; i < n; i++)
            {
                bool acked = false, got = false;
                while (!acked || !got)
                {
                    byte[] p = clients[i].ReadPacket(TimeSpan.FromSeconds(60));
                    Assert.True(p != null, "client " + i + " got its PUBACK and message");
                    if (p[0] == 0x40)
                    {
                        Assert.False(acked);
                        acked = true;
                    }
                    else
                    {
                        Assert.Equal(0x32, p[0] & 0xF6);
                        Assert.False(got, "one message each");
                        int from = (i + n - 1) % n;
                        Assert.Equal(from * 10 + round, BitConverter.ToInt32(p, p.Length - 4));
                        got = true;
                        // PUBACK with the id the broker chose (right after the topic).
                        int topic = (p[2] << 8) | p[3];
                        clients[i].Send(0x40, new byte[] { p[4 + topic], p[5 + topic] });
                    }
                }
            }
        }

        /// <summary>Runs the loop until the task ends; 5 minutes at most.</summary>
        private static void Pump(LoopBroker broker, Task until, bool allowFault = false)
        {
            long end = Environment.TickCount64 + 300000;
            while (!until.IsCompleted)
            {
                if (Environment.TickCount64 > end)
                {
                    Assert.Fail("the loop made no progress in 5 minutes");
                }

                broker.Transport.Step();
            }

            if (until.IsFaulted && !allowFault)
            {
                throw until.Exception.InnerException;
            }
        }

        private static long OpenFileLimit()
        {
            foreach (string line in File.ReadAllLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    string[] parts = line.Substring(14).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts[0] == "unlimited" ? 1 << 20 : long.Parse(parts[0]);
                }
            }

            return 1024;
        }
    }
}
