using System.Net.Sockets;
using System.Threading;
using System;
using Device.Protocol;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A packet over the size limit closes the connection (3.1.1 section 4.8), and it must look like a close to the
    /// client, not a reset: the transport sends FIN after the last byte and reads away what the client is still
    /// sending (the rest of the oversized packet) until the client closes too.
    /// </summary>
    public class OrderlyCloseTests
    {
        [Fact]
        public void A_packet_over_the_size_limit_ends_in_an_orderly_close_not_a_reset()
        {
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(4, 1), hostPlatform: true);
            using RawClient client = new RawClient(broker.Port);
            Assert.Equal(0, client.Connect("big"));

            // PUBLISH QoS 0 with remaining length 300,000 (the limit is 4,096): header, topic, then the body keeps coming.
            const int remaining = 300000;
            byte[] packet = new byte[1 + 3 + remaining];
            packet[0] = 0x30;
            int at = 1;
            for (int r = remaining; ; )
            {
                byte b = (byte)(r & 0x7F);
                r >>= 7;
                packet[at++] = r > 0 ? (byte)(b | 0x80) : b;
                if (r == 0)
                {
                    break;
                }
            }

            packet[at] = 0;
            packet[at + 1] = 1;
            packet[at + 2] = (byte)'t';
            Exception sendFailure = null;
            Thread sender = new Thread(() =>
            {
                try
                {
                    client.SendAll(packet, 0, packet.Length);
                }
                catch (SocketException e)
                {
                    sendFailure = e;
                }
            });
            sender.Start();

            byte[] buffer = new byte[4096];
            client.Socket.ReceiveTimeout = 20000;
            int n = client.Socket.Receive(buffer);
            Assert.True(sender.Join(TimeSpan.FromSeconds(20)), "the broker stopped reading the rest of the packet");

            Assert.Equal(0, n);
            Assert.Null(sendFailure);
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.ProtocolViolations == 1, TimeSpan.FromSeconds(10)));
            Assert.Equal(DecodeResult.PacketTooLarge, broker.Engine.ViolationOf(0));
        }
    }
}
