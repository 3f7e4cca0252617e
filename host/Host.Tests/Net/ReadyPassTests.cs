using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using System;
using Broker.Host;
using Device.Broker;
using Device.Net;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Device.Net/SocketTransport.cs with the PC's epoll platform and grown buffers (issue 10): a pass visits only the
    /// connections with something to do (ready sockets, woken connections), and the timers still reach idle ones.
    /// </summary>
    public class ReadyPassTests
    {
        private const int Clients = 100;

        /// <summary>Steps the loop until the task ends (bounded: a stuck loop fails instead of hanging).</summary>
        private static void Pump(SocketTransport t, Task until)
        {
            long end = Environment.TickCount64 + 120000;
            while (!until.IsCompleted)
            {
                Assert.True(Environment.TickCount64 < end, "the loop made no progress in 2 minutes");
                t.Step();
            }

            if (until.IsFaulted)
            {
                throw until.Exception.InnerException;
            }
        }

        [Fact]
        public void Idle_connections_cost_a_pass_nothing_and_a_message_visits_only_its_two_ends()
        {
            BrokerOptions options = LoopBroker.Small(Clients, 2);
            var engine = new BrokerEngine(options);
            // A clock that stands still: no Tick after the first, so nothing but readiness and wakes makes a visit.
            using var platform = new EpollPlatform();
            var t = new SocketTransport(engine, options.Connections, null, () => 5000, platform);
            t.Start(IPAddress.Loopback, 0, 256);
            Assert.True(t.ReadyOnly);
            var clients = new List<RawClient>();
            try
            {
                Pump(t, Task.Run(() =>
                {
                    for (int i = 0; i < Clients; i++)
                    {
                        var c = new RawClient(t.Port);
                        clients.Add(c);
                        c.SendConnect("ready-" + i, keepAlive: 0);
                        Assert.Equal(0, ConnackCode(c.ReadPacket()));
                        Assert.Equal(0, c.Subscribe("ready/" + i, 0));
                    }
                }));
                Assert.Equal(Clients, engine.Counters.ClientsConnected);

                // Settle: the last SUBACK's visit and its follow-up are done once a few passes in a row visit nobody.
                int quiet = 0;
                for (int i = 0; i < 1000 && quiet < 5; i++)
                {
                    long before = t.Visits;
                    t.Step();
                    quiet = t.Visits == before ? quiet + 1 : 0;
                }

                Assert.Equal(5, quiet);
                long idleStart = t.Visits;
                for (int i = 0; i < 200; i++)
                {
                    t.Step();
                }

                // The old pass visited all 100 open connections every time: 20,000 visits here.
                Assert.Equal(idleStart, t.Visits);

                // One QoS 0 message from client 3 to client 7's topic: the publisher's visit, then the subscriber's.
                long routeStart = t.Visits;
                clients[3].Publish("ready/7", new byte[] { 1, 2, 3 }, 0);
                Pump(t, Task.Run(() =>
                {
                    byte[] p = clients[7].ReadPacket();
                    Assert.Equal(0x30, p[0] & 0xF0);
                    Assert.Equal(3, p[p.Length - 1]);
                }));
                long visits = t.Visits - routeStart;
                Assert.True(visits >= 2, visits + " visits: the publisher and the subscriber must each be visited");
                Assert.True(visits < Clients, visits + " visits for one message among " + Clients + " connections");
                Assert.Equal(1, engine.Counters.MessagesSent);
            }
            finally
            {
                foreach (RawClient c in clients)
                {
                    c.Dispose();
                }

                t.Stop();
                t.Run();
            }
        }

        [Fact]
        public void An_idle_connection_still_expires_after_one_and_a_half_keep_alives()
        {
            // [MQTT-3.1.2-24]: the broker closes a client silent for 1.5 x its keep-alive. The loop never reads the idle
            // client's socket again (nothing arrives); only the engine's Tick finds it, and the wake makes the visit.
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(8, 1), hostPlatform: true);
            Assert.True(broker.Transport.ReadyOnly);
            using RawClient stays = new RawClient(broker.Port);
            Assert.Equal(0, stays.Connect("stays", keepAlive: 0));
            using RawClient idle = new RawClient(broker.Port);
            Assert.Equal(0, idle.Connect("idle", keepAlive: 1));

            Assert.True(idle.ClosedByBroker(TimeSpan.FromSeconds(60)), "the silent client was not disconnected");
            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 1, TimeSpan.FromSeconds(30)));
            Assert.Equal(1, broker.Engine.Counters.KeepAliveExpired);
            Assert.Equal(1, broker.Engine.Counters.ClientsConnected);

            // The one with keep-alive 0 is still served.
            stays.Send(0xC0, new byte[0]);
            Assert.Equal(0xD0, stays.ReadPacket()[0]);
        }

        [Fact]
        public void A_held_publisher_is_taken_again_when_its_subscriber_reads()
        {
            BrokerOptions options = LoopBroker.Small(8, 1);
            options.MaxQueuedMessages = 8;
            options.InflightPerSession = 4;
            // No stall cut-off during the test: the subscriber is stopped on purpose and must not be cut.
            options.StallTimeoutMs = 3600000;
            using LoopBroker broker = new LoopBroker(options, hostPlatform: true);
            Assert.True(broker.Transport.ReadyOnly);
            using RawClient sub = new RawClient(broker.Port, receiveBufferSize: 2048);
            Assert.Equal(0, sub.Connect("sub"));
            Assert.Equal(1, sub.Subscribe("held/#", 1));
            using RawClient pub = new RawClient(broker.Port);
            Assert.Equal(0, pub.Connect("pub"));

            // The subscriber reads nothing: the broker's 256 KB socket buffer, its transmit buffer, queue and in-flight
            // slots fill, then the publisher is held (the broker stops reading it). 600 messages of 4 KB are far more
            // than all of that; the publisher sends them from a task of its own, as its socket blocks once held.
            const int total = 600;
            Task publishing = Task.Run(() =>
            {
                byte[] payload = new byte[4000];
                for (int i = 1; i <= total; i++)
                {
                    payload[0] = (byte)(i >> 8);
                    payload[1] = (byte)i;
                    pub.Publish("held/x", payload, 1, (ushort)i);
                }
            });

            Assert.True(LoopBroker.Eventually(() => broker.Engine.HeldPublishers == 1, TimeSpan.FromSeconds(60)), "back-pressure never engaged");

            // Now it reads and acks everything: the held PUBLISH is retried, the publisher read again, all of them arrive.
            var got = new bool[total + 1];
            int count = 0;
            while (count < total)
            {
                byte[] p = sub.ReadPacket();
                Assert.Equal(0x32, p[0] & 0xF6);
                // After the fixed header (its Remaining Length takes 2 bytes for a 4 KB packet): topic, packet id, payload.
                int at = 1;
                while ((p[at++] & 0x80) != 0)
                {
                }

                int topic = (p[at] << 8) | p[at + 1];
                int id = (p[at + 2 + topic] << 8) | p[at + 3 + topic];
                int n = (p[at + 4 + topic] << 8) | p[at + 5 + topic];
                if ((p[0] & 0x08) == 0)
                {
                    Assert.False(got[n], "message " + n + " twice without DUP");
                }

                if (!got[n])
                {
                    got[n] = true;
                    count++;
                }

                sub.Send(0x40, new byte[] { (byte)(id >> 8), (byte)id });
            }

            Assert.True(publishing.Wait(TimeSpan.FromSeconds(60)));
            for (int i = 1; i <= total; i++)
            {
                byte[] ack = pub.ReadPacket();
                Assert.Equal(0x40, ack[0]);
            }

            Assert.True(LoopBroker.Eventually(() => broker.Engine.HeldPublishers == 0, TimeSpan.FromSeconds(30)));
            Assert.True(broker.Engine.Counters.PublishesHeld > 0);
            Assert.Equal(0, broker.Engine.Counters.MessagesDropped);
        }

        [Fact]
        public void Churn_of_connects_takeovers_and_drops_leaves_every_slot_and_index_entry_as_at_start()
        {
            BrokerOptions options = LoopBroker.Small(8, 1);
            // 48 sessions: above SessionTable.ScanMax, so every CONNECT goes through the client-id index.
            options.MaxPersistentSessions = 40;
            using LoopBroker broker = new LoopBroker(options, hostPlatform: true);
            Assert.True(broker.Transport.ReadyOnly);
            for (int round = 0; round < 100; round++)
            {
                string id = "churn-" + (round % 7);
                using RawClient a = new RawClient(broker.Port);
                Assert.Equal(0, a.Connect(id, cleanSession: round % 2 == 0));
                // Taken over by a second connection with the same id (the first one is closed by the broker).
                using RawClient b = new RawClient(broker.Port);
                Assert.Equal(0, b.Connect(id, cleanSession: round % 2 == 0));
                Assert.True(a.ClosedByBroker(TimeSpan.FromSeconds(30)), "round " + round + ": the older connection was not taken over");
                if (round % 3 == 0)
                {
                    b.Disconnect();
                }

                // Else the socket just goes (dispose): a network close.
            }

            // A clean connect with each id ends the persistent sessions the odd rounds left.
            for (int k = 0; k < 7; k++)
            {
                using RawClient c = new RawClient(broker.Port);
                Assert.Equal(0, c.Connect("churn-" + k, cleanSession: true));
                c.Disconnect();
            }

            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0 && broker.Engine.Counters.ClientsConnected == 0,
                TimeSpan.FromSeconds(30)), "connections left open");
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Sessions.Count == 0, TimeSpan.FromSeconds(30)), "sessions left");
            Assert.Equal(0, broker.Engine.Sessions.Indexed);
            Assert.Equal(0, broker.Engine.Counters.ConnectionsRefused);
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Buffers.InUseBytes == 0, TimeSpan.FromSeconds(30)), "buffers still held");

            // Every slot is usable again: as many clients as the profile takes connect at once.
            var all = new List<RawClient>();
            try
            {
                for (int i = 0; i < options.MaxClients; i++)
                {
                    var c = new RawClient(broker.Port);
                    all.Add(c);
                    Assert.Equal(0, c.Connect("again-" + i));
                }
            }
            finally
            {
                foreach (RawClient c in all)
                {
                    c.Dispose();
                }
            }
        }

        private static int ConnackCode(byte[] connack)
        {
            Assert.Equal(0x20, connack[0]);
            return connack[3];
        }
    }
}
