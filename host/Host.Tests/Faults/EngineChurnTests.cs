using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Fuzz.Shared;

namespace Host.Tests
{
    /// <summary>
    /// 10,000 connect/_disconnect cycles, each a full little session (CONNECT with a will, SUBSCRIBE, a QoS 1
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

        private readonly ITestOutputHelper _output;
        private readonly BrokerOptions _options = BrokerOptions.Device();
        private readonly BrokerEngine _broker;
        private long _now = 1000;
        private readonly byte[][] _connects = new byte[8][];
        private readonly byte[][] _subscribes = new byte[8][];
        private readonly byte[][] _publishes = new byte[8][];
        private readonly byte[] _puback = new byte[AckPacket.Size];
        private readonly byte[] _disconnect;
        private readonly FixedHeader _header = new FixedHeader();
        private readonly PublishView _publish = new PublishView();

        public EngineChurnTests(ITestOutputHelper output)
        {
            _output = output;
            _broker = new BrokerEngine(_options);
            for (int k = 0; k < _connects.Length; k++)
            {
                // Ids 0-3 clean, 4-7 persistent: the persistent ones come back to their sessions again and again.
                // Each id has topics of its own, so nothing is queued for a persistent session while it is away.
                _connects[k] = PacketSeeds.Connect(ProtocolLevel.V311, "churn-" + k, k < 4, KeepAlive, "wills/" + k, 0, false, null, null);
                _subscribes[k] = PacketSeeds.Subscribe(1, new[] { "churn/" + k + "/#" }, new byte[] { 1 });
                _publishes[k] = PacketSeeds.Publish(1, false, false, 2, "churn/" + k + "/echo", new byte[] { 1, 2, 3 });
            }

            _disconnect = PacketSeeds.Empty(PacketType.Disconnect);
        }

        [Fact]
        public void Ten_thousand_cycles_leave_memory_slots_and_tables_as_they_were()
        {
            Counters c = _broker.Counters;
            FloodHalves halves = new FloodHalves(WarmUp, WarmUp + (Cycles - WarmUp) / 2);
            int sessions0 = 0, subscriptions0 = 0, stored0 = 0;
            var ends = new int[4];
            for (int i = 0; i < Cycles; i++)
            {
                if (halves.At(i))
                {
                    sessions0 = _broker.Sessions.Count;
                    subscriptions0 = _broker.Subscriptions.Count;
                    stored0 = c.StoredMessages;
                }

                ends[Cycle(i)]++;
            }

            long allocated = halves.Quieter();
            int slots = CountFreeSlots();
            _output.WriteLine(Cycles + " cycles (DISCONNECT " + ends[0] + ", network drop " + ends[1] + ", keep-alive expiry " + ends[2] + ", takeover "
                + ends[3] + "): allocated after warm-up " + allocated + " bytes; free slots " + slots + "/" + _options.Connections + "; sessions "
                + sessions0 + " -> " + _broker.Sessions.Count + ", subscriptions " + subscriptions0 + " -> " + _broker.Subscriptions.Count
                + ", stored messages " + stored0 + " -> " + c.StoredMessages + ", wills published " + c.WillsPublished + ", messages in/out "
                + c.MessagesReceived + "/" + c.MessagesSent);

            Assert.Equal(0, allocated);
            Assert.Equal(_options.Connections, slots);
            Assert.Equal(0, c.ClientsConnected);
            Assert.Equal(sessions0, _broker.Sessions.Count);
            Assert.Equal(subscriptions0, _broker.Subscriptions.Count);
            Assert.Equal(stored0, c.StoredMessages);
            // The shared pool is back where it started: no message, no byte, no delivery entry, nobody held.
            Assert.Equal(0, _broker.Messages.Count);
            Assert.Equal(0, _broker.Messages.BytesUsed);
            Assert.Equal(0, _broker.Deliveries.Used);
            Assert.Equal(0, _broker.HeldPublishers);
            Assert.Equal(0, c.MessagesDropped);
            Assert.Equal(0, c.ProtocolViolations);
        }

        /// <summary>One connection's life; returns how it ended (0 DISCONNECT, 1 drop, 2 keep-alive, 3 takeover).</summary>
        private int Cycle(int i)
        {
            int id = i % _connects.Length;
            int end = (i / _connects.Length) % 4;
            int h = Connect(id);
            Feed(h, _subscribes[id]);
            Expect(h, PacketType.Suback);
            Feed(h, _publishes[id]);
            // Acknowledged first, then its own subscription routes the message back (the ack's room is never taken).
            Expect(h, PacketType.Puback);
            ushort delivered = Expect(h, PacketType.Publish);
            AckPacket.Encode(_puback, 0, _puback.Length, PacketType.Puback, delivered);
            Feed(h, _puback);
            switch (end)
            {
                case 0:
                    Feed(h, _disconnect);
                    Finish(h, CloseReason.ClientDisconnected);
                    break;
                case 1:
                    _broker.Closed(h, _now);
                    break;
                case 2:
                    _now += KeepAlive * 1500 + 1;
                    _broker.Tick(_now);
                    Finish(h, CloseReason.KeepAliveExpired);
                    break;
                default:
                    int successor = Connect(id);
                    Finish(h, CloseReason.TakenOver);
                    Feed(successor, _disconnect);
                    Finish(successor, CloseReason.ClientDisconnected);
                    break;
            }

            _now += 10;
            return end;
        }

        private int Connect(int id)
        {
            int h = _broker.Accept(_now);
            Check(h >= 0, "no slot");
            Feed(h, _connects[id]);
            Expect(h, PacketType.Connack);
            return h;
        }

        private void Feed(int h, byte[] packet)
        {
            byte[] rx = _broker.ReceiveBuffer(h, out int off, out int free);
            Check(free >= packet.Length, "receive buffer full");
            Array.Copy(packet, 0, rx, off, packet.Length);
            _broker.Received(h, packet.Length, _now);
        }

        /// <summary>Takes the next packet from the transmit buffer, which must be of this type; returns its packet id.</summary>
        private ushort Expect(int h, byte type)
        {
            int n = _broker.PendingOutput(h, out byte[] tx, out int off);
            Check(n >= 2 && Framing.ReadHeader(tx, off, n, 0, _header) == DecodeResult.Ok && _header.TotalLength <= n, "no complete packet");
            if (_header.Type != type)
            {
                throw new Xunit.Sdk.XunitException("expected packet type " + type + ", got " + _header.Type);
            }

            Check(type != PacketType.Connack || tx[off + 3] == ConnectReturnCode.Accepted, "CONNECT refused");
            ushort id = 0;
            if (type == PacketType.Publish)
            {
                PublishView v = _publish;
                PublishPacket.Decode(tx, off, _header, v);
                id = v.PacketId;
            }

            _broker.Sent(h, _header.TotalLength);
            return id;
        }

        private void Finish(int h, CloseReason reason)
        {
            while (_broker.PendingOutput(h, out _, out _) > 0)
            {
                _broker.Sent(h, _broker.PendingOutput(h, out _, out _));
            }

            Check(_broker.WantsClose(h) && _broker.CloseReasonOf(h) == reason, "connection did not end as expected");
            _broker.Closed(h, _now);
        }

        private int CountFreeSlots()
        {
            var taken = new int[_options.Connections + 1];
            int n = 0;
            while (n < taken.Length && (taken[n] = _broker.Accept(_now)) >= 0)
            {
                n++;
            }

            for (int i = 0; i < n; i++)
            {
                _broker.Closed(taken[i], _now);
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
