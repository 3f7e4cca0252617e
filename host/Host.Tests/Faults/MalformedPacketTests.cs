using System.Linq;
using System;
using Device.Broker;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// Every malformed packet of the validation list closes the connection that sent it, with the right reason
    /// (and its will), while a publisher and a subscriber next to it go on exchanging QoS 1 messages. Engine
    /// level, through the in-memory transport (FakeNet); the socket-level suite repeats a selection over TCP.
    /// </summary>
    public class MalformedPacketTests
    {
        private readonly ITestOutputHelper _output;

        public MalformedPacketTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void The_table_covers_every_rule_a_client_can_break()
        {
            var covered = MalformedPackets.All(1024).Where(m => m.Reason == CloseReason.ProtocolViolation).Select(m => m.Violation).ToHashSet();
            foreach (DecodeResult r in Enum.GetValues(typeof(DecodeResult)))
            {
                bool accounted = covered.Contains(r) || MalformedPackets.Unreachable.ContainsKey(r) || MalformedPackets.ServerOnly.Contains(r)
                    || r == DecodeResult.UnknownProtocolLevel;
                Assert.True(accounted, "no malformed packet for " + r + ": add one to MalformedPackets");
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Each_malformed_packet_closes_only_its_sender_while_a_pair_keeps_exchanging(bool byteByByte)
        {
            BrokerOptions o = BrokerOptions.Device();
            var net = new FakeNet(o);
            FakeClient sub = net.Connect("healthy-sub", true);
            sub.Subscribe("data/#", 1);
            sub.Subscribe("will/#", 0);
            FakeClient pub = net.Connect("healthy-pub", true);

            var table = MalformedPackets.All(o.MaxPacketSize);
            int exchanged = 0;
            int wills = 0;
            for (int i = 0; i < table.Count; i++)
            {
                Malformed m = table[i];
                FakeClient bad = net.Open();
                Assert.NotNull(bad);
                if (!m.AsFirstPacket)
                {
                    var spec = new ConnectSpec("bad-" + i) { WillTopic = "will/bad-" + i, WillMessage = "gone" };
                    bad.Send(TestPackets.Connect(spec));
                    Assert.Equal(ConnectReturnCode.Accepted, bad.ExpectConnack().ReturnCode);
                }

                if (byteByByte)
                {
                    for (int k = 0; k < m.Bytes.Length && !bad.IsClosed; k++)
                    {
                        bad.Send(m.Bytes, k, 1);
                    }
                }
                else
                {
                    bad.Send(m.Bytes);
                }

                Assert.True(bad.IsClosed, m.Name + ": still open");
                Assert.Equal(m.Reason, net.Engine.CloseReasonOf(bad.Handle));
                if (m.Reason == CloseReason.ProtocolViolation)
                {
                    Assert.Equal(m.Violation, net.Engine.ViolationOf(bad.Handle));
                }

                if (m.Reason == CloseReason.ConnectRefused)
                {
                    Assert.Equal(ConnectReturnCode.UnacceptableProtocolVersion, bad.ExpectConnack().ReturnCode);
                }

                if (!m.AsFirstPacket)
                {
                    // A protocol error ends the connection abnormally: the will goes out [MQTT-3.1.2-8].
                    sub.ExpectPublish("will/bad-" + i, "gone", 0);
                    wills++;
                }

                ushort id = (ushort)(i + 1);
                pub.Send(TestPackets.Publish("data/" + i, "m" + i, 1, id));
                Assert.Equal(id, pub.ExpectAck(PacketType.Puback));
                PublishView v = sub.ExpectPublish("data/" + i, "m" + i, 1);
                sub.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                sub.ExpectNothing();
                Assert.True(net.Engine.IsConnected(sub.Handle) && net.Engine.IsConnected(pub.Handle), m.Name + ": the healthy pair was hurt");
                exchanged++;
            }

            Counters c = net.Engine.Counters;
            Assert.Equal(2, c.ClientsConnected);
            Assert.Equal(table.Count(m => m.Reason != CloseReason.ConnectRefused), (int)c.ProtocolViolations);
            _output.WriteLine((byteByByte ? "byte by byte: " : "whole: ") + table.Count + " malformed inputs, " + c.ProtocolViolations
                + " violations, " + c.ConnectsRefused + " CONNACK 1, " + wills + " wills received, " + exchanged
                + " QoS 1 messages exchanged by the healthy pair, 0 lost");
        }
    }
}
