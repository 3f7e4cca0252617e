using System.Collections.Generic;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System;
using Device.Broker;
using Xunit.Abstractions;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The faults that are about sockets, over loopback TCP against the real socket transport: a client that never
    /// sends CONNECT, one that stops mid-packet with its socket left open (half-open), one that announces a long
    /// packet and trickles it, one that announces a huge one, and a burst of connections beyond the slots against
    /// the host broker program itself. Short timeouts (500 ms to connect, keep-alive 1 s) keep it quick; every
    /// wait is bounded and no timing is asserted, only what happened. A publisher and a subscriber exchange QoS 1
    /// messages before and after every fault.
    /// </summary>
    public class SocketFaultTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
        private readonly ITestOutputHelper _output;
        private int _exchanged;

        public SocketFaultTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>Three slots and no spare: pub, sub and the faulty client fill them, so reuse is visible.</summary>
        private static LoopBroker Broker()
        {
            BrokerOptions o = LoopBroker.Small(3, 0);
            o.ConnectTimeoutMs = 500;
            return new LoopBroker(o);
        }

        [Fact]
        public void A_client_that_never_sends_connect_is_closed_and_its_slot_reused()
        {
            using LoopBroker broker = Broker();
            using Pair pair = new Pair(broker.Port);
            using RawClient idle = new RawClient(broker.Port);
            Exchange(pair);
            Assert.True(idle.ClosedByBroker(Patience), "still open");
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.ConnectTimeouts == 1, Patience));
            SlotIsReused(broker, pair);
        }

        [Fact]
        public void A_client_that_stops_mid_packet_with_its_socket_open_is_closed_at_keep_alive_and_its_slot_reused()
        {
            using LoopBroker broker = Broker();
            using Pair pair = new Pair(broker.Port);
            using RawClient halfOpen = new RawClient(broker.Port);
            Assert.Equal(0, halfOpen.Connect("half-open", keepAlive: 1));
            // Half a PUBLISH, then nothing: no more bytes and no FIN, as when the client's network vanished.
            byte[] publish = { 0x32, 0x0A, 0x00, 0x04, (byte)'d', (byte)'a', (byte)'t', (byte)'a', 0x00, 0x01, (byte)'x', (byte)'y' };
            halfOpen.SendAll(publish, 0, 6);
            Exchange(pair);
            Assert.True(halfOpen.ClosedByBroker(Patience), "still open");
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.KeepAliveExpired == 1, Patience));
            SlotIsReused(broker, pair);
        }

        [Fact]
        public void A_packet_announced_long_and_trickled_is_closed_at_keep_alive_and_its_slot_reused()
        {
            using LoopBroker broker = Broker();
            using Pair pair = new Pair(broker.Port);
            using RawClient trickler = new RawClient(broker.Port);
            Assert.Equal(0, trickler.Connect("trickler", keepAlive: 1));
            // 3,000 bytes announced, within the 4 KB limit, so the broker has to wait for them.
            trickler.SendAll(new byte[] { 0x30, 0xB8, 0x17, 0x00, 0x01, (byte)'t' }, 0, 6);
            int trickled = 0;
            bool closed = false;
            DateTime end = DateTime.UtcNow + Patience;
            while (!closed && DateTime.UtcNow < end)
            {
                try
                {
                    trickler.SendAll(new byte[] { (byte)'x' }, 0, 1);
                    trickled++;
                }
                catch (SocketException)
                {
                    closed = true;
                    break;
                }

                // One byte every 100 ms; between bytes, see whether the broker closed the connection.
                if (trickler.Socket.Poll(100_000, SelectMode.SelectRead))
                {
                    closed = trickler.ClosedByBroker(Patience);
                }
            }

            Assert.True(closed, "the trickle kept the connection for " + trickled + " bytes");
            Assert.True(trickled < 3000, "the whole packet got through");
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.KeepAliveExpired == 1, Patience));
            SlotIsReused(broker, pair);
            _output.WriteLine("trickle over TCP: " + trickled + " of 3000 announced bytes sent before the broker closed the connection");
        }

        [Fact]
        public void A_huge_remaining_length_is_closed_without_waiting_for_the_body()
        {
            using LoopBroker broker = Broker();
            using Pair pair = new Pair(broker.Port);
            using RawClient huge = new RawClient(broker.Port);
            Assert.Equal(0, huge.Connect("huge"));
            huge.SendAll(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00 }, 0, 6);
            Assert.True(huge.ClosedByBroker(Patience));
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.ProtocolViolations == 1, Patience));
            SlotIsReused(broker, pair);
        }

        [Fact]
        public void A_burst_beyond_the_slots_is_refused_and_the_connected_clients_are_unaffected()
        {
            const int Burst = 40;
            using LimitedHostBroker host = new LimitedHostBroker("max_connections 3\n");
            using Pair pair = new Pair(host.Port);
            Exchange(pair);

            var burst = new List<RawClient>();
            try
            {
                // All sockets first, then all CONNECTs: they reach the broker as one burst.
                for (int i = 0; i < Burst; i++)
                {
                    burst.Add(new RawClient(host.Port));
                }

                for (int i = 0; i < Burst; i++)
                {
                    try
                    {
                        burst[i].SendConnect("burst-" + i);
                    }
                    catch (SocketException)
                    {
                        // Already turned away by the transport: counted below as closed.
                    }
                }

                int accepted = 0, refused = 0, closed = 0;
                foreach (RawClient c in burst)
                {
                    byte[] first = c.ReadPacket(Patience);
                    if (first == null)
                    {
                        closed++;
                    }
                    else if (first[0] == 0x20 && first[3] == 0)
                    {
                        accepted++;
                    }
                    else
                    {
                        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x03 }, first);
                        Assert.True(c.ClosedByBroker(Patience));
                        refused++;
                    }
                }

                Exchange(pair);
                _output.WriteLine("burst of " + Burst + " against max_connections 3 with 2 connected: " + accepted + " accepted, " + refused
                    + " CONNACK 3, " + closed + " closed without CONNACK; healthy pair exchanged " + _exchanged + " QoS 1 messages");
                Assert.Equal(1, accepted);
                Assert.Equal(Burst - 1, refused + closed);
            }
            finally
            {
                foreach (RawClient c in burst)
                {
                    c.Dispose();
                }
            }

            // The burst is gone: its accepted client's slot comes back for the next one.
            Assert.True(LoopBroker.Eventually(() =>
            {
                using RawClient next = new RawClient(host.Port);
                return next.Connect("after-burst") == 0;
            }, Patience));
            Exchange(pair);
        }

        /// <summary>A subscriber on "data" (QoS 1) and a publisher, each on its own socket.</summary>
        private sealed class Pair : IDisposable
        {
            public readonly RawClient Sub;
            public readonly RawClient Pub;

            public Pair(int port)
            {
                Sub = new RawClient(port);
                Assert.Equal(0, Sub.Connect("sub"));
                Assert.Equal(1, Sub.Subscribe("data", 1));
                Pub = new RawClient(port);
                Assert.Equal(0, Pub.Connect("pub"));
            }

            public void Dispose()
            {
                Sub.Dispose();
                Pub.Dispose();
            }
        }

        private void Exchange(Pair pair)
        {
            ushort id = (ushort)(++_exchanged);
            byte[] payload = Encoding.ASCII.GetBytes("m" + id);
            pair.Pub.Publish("data", payload, 1, id);
            Assert.Equal(new byte[] { 0x40, 0x02, (byte)(id >> 8), (byte)id }, pair.Pub.ReadPacket());
            byte[] p = pair.Sub.ReadPacket();
            Assert.Equal(0x32, p[0] & 0xF6);
            Assert.Equal(payload, p[(p.Length - payload.Length)..]);
            pair.Sub.Send(0x40, new[] { p[2 + 2 + 4], p[2 + 2 + 4 + 1] });
        }

        /// <summary>The third slot serves a new client once the faulty one is gone, and the pair still talks.</summary>
        private void SlotIsReused(LoopBroker broker, Pair pair)
        {
            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 2, Patience));
            using RawClient next = new RawClient(broker.Port);
            Assert.Equal(0, next.Connect("next"));
            Exchange(pair);
            Assert.Equal(3, broker.Engine.Counters.ClientsConnected);
        }

        /// <summary>The host broker program with a config file of the test's choosing.</summary>
        private sealed class LimitedHostBroker : HostBroker
        {
            public LimitedHostBroker(string config)
                : base(config, null)
            {
            }
        }
    }
}
