using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Fuzz.Shared;

namespace Host.Tests
{
    /// <summary>
    /// 10,000 connect/disconnect cycles, each a full little session (CONNECT with a will, SUBSCRIBE, a QoS 1
    /// PUBLISH to itself and its PUBACKs) ended four ways in turn: DISCONNECT, network drop, keep-alive expiry,
    /// takeover. Driven straight through the seam with prebuilt packets, so every byte allocated is the engine's.
    /// Afterwards memory, slots, sessions, subscriptions, stored messages and the shared pool (bytes, delivery
    /// entries) are back at their start values.
    /// </summary>
    public class EngineChurnTests
    {
        private const int Cycles = 10_000;
        private const int WarmUp = 200;
        private const ushort KeepAlive = 5;

        private readonly ITestOutputHelper output;
        private readonly BrokerOptions options = BrokerOptions.Device();
        private readonly BrokerEngine broker;
        private long now = 1000;
        private readonly byte[][] connects = new byte[8][];
        private readonly byte[][] subscribes = new byte[8][];
        private readonly byte[][] publishes = new byte[8][];
        private readonly byte[] puback = new byte[AckPacket.Size];
        private readonly byte[] disconnect;

        public EngineChurnTests(ITestOutputHelper output)
        {
            this.output = output;
            broker = new BrokerEngine(options);
            for (int k = 0; k < connects.Length; k++)
            {
                // Ids 0-3 clean, 4-7 persistent: the persistent ones come back to their sessions again and again.
                // Each id has topics of its own, so nothing is queued for a persistent session while it is away.
                connects[k] = PacketSeeds.Connect(ProtocolLevel.V311, "churn-" + k, k < 4, KeepAlive, "wills/" + k, 0, false, null, null);
                subscribes[k] = PacketSeeds.Subscribe(1, new[] { "churn/" + k + "/#" }, new byte[] { 1 });
                publishes[k] = PacketSeeds.Publish(1, false, false, 2, "churn/" + k + "/echo", new byte[] { 1, 2, 3 });
            }

            disconnect = PacketSeeds.Empty(PacketType.Disconnect);
        }

        [Fact]
        public void Ten_thousand_cycles_leave_memory_slots_and_tables_as_they_were()
        {
            Counters c = broker.Counters;
            long before = 0;
            int sessions0 = 0, subscriptions0 = 0, stored0 = 0;
            var ends = new int[4];
            for (int i = 0; i < Cycles; i++)
            {
                if (i == WarmUp)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                    sessions0 = broker.Sessions.Count;
                    subscriptions0 = broker.Subscriptions.Count;
                    stored0 = c.StoredMessages;
                }

                ends[Cycle(i)]++;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            int slots = CountFreeSlots();
            output.WriteLine(Cycles + " cycles (DISCONNECT " + ends[0] + ", network drop " + ends[1] + ", keep-alive expiry " + ends[2] + ", takeover "
                + ends[3] + "): allocated after warm-up " + allocated + " bytes; free slots " + slots + "/" + options.Connections + "; sessions "
                + sessions0 + " -> " + broker.Sessions.Count + ", subscriptions " + subscriptions0 + " -> " + broker.Subscriptions.Count
                + ", stored messages " + stored0 + " -> " + c.StoredMessages + ", wills published " + c.WillsPublished + ", messages in/out "
                + c.MessagesReceived + "/" + c.MessagesSent);

            Assert.Equal(0, allocated);
            Assert.Equal(options.Connections, slots);
            Assert.Equal(0, c.ClientsConnected);
            Assert.Equal(sessions0, broker.Sessions.Count);
            Assert.Equal(subscriptions0, broker.Subscriptions.Count);
            Assert.Equal(stored0, c.StoredMessages);
            // The shared pool is back where it started: no message, no byte, no delivery entry, nobody held.
            Assert.Equal(0, broker.Messages.Count);
            Assert.Equal(0, broker.Messages.BytesUsed);
            Assert.Equal(0, broker.Deliveries.Used);
            Assert.Equal(0, broker.HeldPublishers);
            Assert.Equal(0, c.MessagesDropped);
            Assert.Equal(0, c.ProtocolViolations);
        }

        /// <summary>One connection's life; returns how it ended (0 DISCONNECT, 1 drop, 2 keep-alive, 3 takeover).</summary>
        private int Cycle(int i)
        {
            int id = i % connects.Length;
            int end = (i / connects.Length) % 4;
            int h = Connect(id);
            Feed(h, subscribes[id]);
            Expect(h, PacketType.Suback);
            Feed(h, publishes[id]);
            // Acknowledged first, then its own subscription routes the message back (the ack's room is never taken).
            Expect(h, PacketType.Puback);
            ushort delivered = Expect(h, PacketType.Publish);
            AckPacket.Encode(puback, 0, puback.Length, PacketType.Puback, delivered);
            Feed(h, puback);
            switch (end)
            {
                case 0:
                    Feed(h, disconnect);
                    Finish(h, CloseReason.ClientDisconnected);
                    break;
                case 1:
                    broker.Closed(h, now);
                    break;
                case 2:
                    now += KeepAlive * 1500 + 1;
                    broker.Tick(now);
                    Finish(h, CloseReason.KeepAliveExpired);
                    break;
                default:
                    int successor = Connect(id);
                    Finish(h, CloseReason.TakenOver);
                    Feed(successor, disconnect);
                    Finish(successor, CloseReason.ClientDisconnected);
                    break;
            }

            now += 10;
            return end;
        }

        private int Connect(int id)
        {
            int h = broker.Accept(now);
            Check(h >= 0, "no slot");
            Feed(h, connects[id]);
            Expect(h, PacketType.Connack);
            return h;
        }

        private void Feed(int h, byte[] packet)
        {
            byte[] rx = broker.ReceiveBuffer(h, out int off, out int free);
            Check(free >= packet.Length, "receive buffer full");
            Array.Copy(packet, 0, rx, off, packet.Length);
            broker.Received(h, packet.Length, now);
        }

        /// <summary>Takes the next packet from the transmit buffer, which must be of this type; returns its packet id.</summary>
        private ushort Expect(int h, byte type)
        {
            int n = broker.PendingOutput(h, out byte[] tx, out int off);
            Check(n >= 2 && Framing.ReadHeader(tx, off, n, 0, out FixedHeader fh) == DecodeResult.Ok && fh.TotalLength <= n, "no complete packet");
            Framing.ReadHeader(tx, off, n, 0, out FixedHeader header);
            if (header.Type != type)
            {
                throw new Xunit.Sdk.XunitException("expected packet type " + type + ", got " + header.Type);
            }

            Check(type != PacketType.Connack || tx[off + 3] == ConnectReturnCode.Accepted, "CONNECT refused");
            ushort id = 0;
            if (type == PacketType.Publish)
            {
                PublishPacket.Decode(tx, off, header, out PublishView v);
                id = v.PacketId;
            }

            broker.Sent(h, header.TotalLength);
            return id;
        }

        private void Finish(int h, CloseReason reason)
        {
            while (broker.PendingOutput(h, out _, out _) > 0)
            {
                broker.Sent(h, broker.PendingOutput(h, out _, out _));
            }

            Check(broker.WantsClose(h) && broker.CloseReasonOf(h) == reason, "connection did not end as expected");
            broker.Closed(h, now);
        }

        private int CountFreeSlots()
        {
            var taken = new int[options.Connections + 1];
            int n = 0;
            while (n < taken.Length && (taken[n] = broker.Accept(now)) >= 0)
            {
                n++;
            }

            for (int i = 0; i < n; i++)
            {
                broker.Closed(taken[i], now);
            }

            return n;
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new Xunit.Sdk.XunitException(what);
            }
        }
    }
}
