using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// Clients that hold a slot without finishing anything: never sending CONNECT, trickling a packet, stopping
    /// mid-packet (half-open). Each must be closed at its timeout (connect timeout, or 1.5 x keep-alive counted
    /// from the last COMPLETE packet, so trickled bytes buy no time), with its will, and its slot must serve the
    /// next client. Engine level with the fake clock, so the boundaries are exact and nothing waits; the socket
    /// suite (SocketFaultTests) shows the same over TCP with real time.
    /// </summary>
    public class TimeoutTests
    {
        private const int ConnectTimeoutMs = 2000;
        private const ushort KeepAlive = 4;
        private const int Expiry = KeepAlive * 1500;

        private readonly ITestOutputHelper _output;
        private FakeNet _net;
        private FakeClient _sub;
        private FakeClient _pub;
        private int _exchanged;

        public TimeoutTests(ITestOutputHelper output)
        {
            _output = output;
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = 3;
            o.SpareConnections = 1;
            o.ConnectTimeoutMs = ConnectTimeoutMs;
            // The trickle test announces 1,000 bytes: within the limit, so the broker waits for them.
            o.MaxPacketSize = 1024;
            _net = new FakeNet(o);
            _sub = _net.Connect("sub", true);
            _sub.Subscribe("data", 1);
            _sub.Subscribe("will/#", 0);
            _pub = _net.Connect("pub", true);
        }

        [Fact]
        public void A_client_that_never_sends_connect_is_closed_at_the_connect_timeout_and_its_slot_reused()
        {
            FakeClient idle1 = _net.Open();
            FakeClient idle2 = _net.Open();
            Assert.Null(_net.Open());

            _net.Advance(ConnectTimeoutMs - 1);
            Assert.False(idle1.IsClosed || idle2.IsClosed);
            Exchange();
            _net.Advance(1);
            Assert.True(idle1.IsClosed && idle2.IsClosed);
            Assert.Equal(CloseReason.ConnectTimeout, _net.Engine.CloseReasonOf(idle1.Handle));
            Assert.Equal(2, (int)_net.Engine.Counters.ConnectTimeouts);

            SlotIsReused();
        }

        [Fact]
        public void A_trickled_connect_gains_no_time()
        {
            FakeClient slow = _net.Open();
            byte[] connect = TestPackets.Connect(new ConnectSpec("slow"));
            for (int i = 0; i < connect.Length - 1 && !slow.IsClosed; i++)
            {
                slow.Send(connect, i, 1);
                _net.Advance(250);
            }

            Assert.True(slow.IsClosed, "a CONNECT trickled over " + (connect.Length - 1) * 250 + " ms kept its slot");
            Assert.Equal(CloseReason.ConnectTimeout, _net.Engine.CloseReasonOf(slow.Handle));
            Exchange();
            SlotIsReused();
        }

        [Fact]
        public void A_huge_remaining_length_is_refused_from_the_header_alone()
        {
            FakeClient c = Connected("huge");
            // 268,435,455 bytes announced: refused before a single body byte is buffered.
            c.Send(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F });
            Assert.True(c.IsClosed);
            Assert.Equal(DecodeResult.PacketTooLarge, _net.Engine.ViolationOf(c.Handle));
            _sub.ExpectPublish("will/huge", "gone", 0);
            Exchange();
            SlotIsReused();
        }

        [Fact]
        public void A_packet_trickled_byte_by_byte_is_closed_at_the_keep_alive_expiry()
        {
            FakeClient c = Connected("trickle");
            // Within the packet limit, so the broker waits for the body, which comes one byte a second.
            c.Send(new byte[] { 0x30, 0xE8, 0x07, 0x00, 0x01, 0x74 });
            long start = _net.Now;
            int trickled = 0;
            while (!c.IsClosed && _net.Now - start < 10 * Expiry)
            {
                c.Send(new byte[] { 0x78 });
                trickled++;
                _net.Advance(1000);
                if (!c.IsClosed)
                {
                    Exchange();
                }
            }

            Assert.True(c.IsClosed);
            Assert.Equal(CloseReason.KeepAliveExpired, _net.Engine.CloseReasonOf(c.Handle));
            Assert.True(_net.Now - start <= Expiry + 1000, "closed after " + (_net.Now - start) + " ms");
            _sub.ExpectPublish("will/trickle", "gone", 0);
            SlotIsReused();
            _output.WriteLine("trickle: " + trickled + " bytes over " + (_net.Now - start) + " ms of fake time, closed at keep-alive expiry ("
                + Expiry + " ms), " + _exchanged + " messages exchanged meanwhile");
        }

        [Fact]
        public void A_client_that_stops_mid_packet_is_closed_at_the_keep_alive_expiry()
        {
            FakeClient c = Connected("half-open");
            c.Send(TestPackets.Pingreq());
            long lastPacket = _net.Now;
            byte[] publish = TestPackets.Publish("data", "never finished", 1, 9);
            c.Send(publish, 0, publish.Length / 2);

            _net.Advance(Expiry - (_net.Now - lastPacket));
            Assert.False(c.IsClosed, "closed before 1.5 x keep-alive");
            Exchange();
            _net.Advance(1);
            Assert.True(c.IsClosed);
            Assert.Equal(CloseReason.KeepAliveExpired, _net.Engine.CloseReasonOf(c.Handle));
            _sub.ExpectPublish("will/half-open", "gone", 0);
            // The half packet was never routed.
            Exchange();
            SlotIsReused();
        }

        [Fact]
        public void Keep_alive_zero_is_refused_on_the_device_so_a_half_open_client_cannot_hold_a_slot_forever()
        {
            FakeClient c = _net.Open();
            c.Send(TestPackets.Connect(new ConnectSpec("forever") { KeepAlive = 0 }));
            Assert.Equal(ConnectReturnCode.IdentifierRejected, c.ExpectConnack().ReturnCode);
            Assert.True(c.IsClosed);
        }

        private FakeClient Connected(string id)
        {
            var spec = new ConnectSpec(id) { KeepAlive = KeepAlive, WillTopic = "will/" + id, WillMessage = "gone" };
            return _net.Connect(spec);
        }

        /// <summary>The healthy pair exchanges one QoS 1 message.</summary>
        private void Exchange()
        {
            ushort id = (ushort)(++_exchanged);
            _pub.Send(TestPackets.Publish("data", "m" + id, 1, id));
            Assert.Equal(id, _pub.ExpectAck(PacketType.Puback));
            PublishView v = _sub.ExpectPublish("data", "m" + id, 1);
            _sub.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
            // The pair stays alive in fake time too.
            _pub.Send(TestPackets.Pingreq());
            _pub.Expect(PacketType.Pingresp, out _);
            _sub.Send(TestPackets.Pingreq());
            _sub.Expect(PacketType.Pingresp, out _);
        }

        /// <summary>Every slot but one is taken again; the freed one serves a new client that connects and publishes.</summary>
        private void SlotIsReused()
        {
            FakeClient next = _net.Connect("next", true);
            next.Send(TestPackets.Publish("data", "from the reused slot", 1, 1));
            Assert.Equal(1, next.ExpectAck(PacketType.Puback));
            PublishView v = _sub.ExpectPublish("data", "from the reused slot", 1);
            _sub.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
            Assert.Equal(3, _net.Engine.Counters.ClientsConnected);
        }
    }
}
