using System;
using System.Net.Sockets;
using System.Threading;
using Device.Broker;
using Device.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// Issue 10's QoS 0 item over real sockets: publishers write 100,000 QoS 0 PUBLISHes as fast as their sockets take
    /// them (blocking sends, nothing else pacing them) to one subscriber with a small receive window. The broker must
    /// push back on them (hold, stop reading their sockets) rather than drop: every message arrives once, in each
    /// publisher's order, on the Device profile (its 10 clients) and on the Host profile. No timing is asserted: every
    /// wait is a bounded read or a condition polled with a generous limit.
    /// </summary>
    public class Qos0FanInSocketTests
    {
        private const int Total = 100_000;

        private readonly ITestOutputHelper _output;

        public Qos0FanInSocketTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("Device", false)]
        [InlineData("Host", true)]
        public void A_100000_message_qos0_fan_in_over_sockets_arrives_whole_and_in_order(string profile, bool hostPlatform)
        {
            bool device = profile == "Device";
            BrokerOptions options = device ? BrokerOptions.Device() : BrokerOptions.Host();
            // The subscriber keeps reading, so it is never to be cut; a long stall time keeps a loaded machine's
            // pauses from looking like a stall (this test is about delivery, StallTests about the cut-off).
            options.StallTimeoutMs = 120_000;
            int pubs = device ? options.MaxClients - 1 : 50;
            int per = (Total + pubs - 1) / pubs;
            int total = pubs * per;
            using LoopBroker broker = new LoopBroker(options, hostPlatform: hostPlatform);

            using RawClient sub = new RawClient(broker.Port, receiveBufferSize: 2048);
            Assert.Equal(0, sub.Connect("sub"));
            Assert.Equal(0, sub.Subscribe("fan/#", 0));

            var clients = new RawClient[pubs];
            var streams = new byte[pubs][];
            for (int k = 0; k < pubs; k++)
            {
                clients[k] = new RawClient(broker.Port);
                Assert.Equal(0, clients[k].Connect("p" + k));
                streams[k] = Stream(k, per);
            }

            var errors = new string[pubs];
            var threads = new Thread[pubs];
            for (int k = 0; k < pubs; k++)
            {
                int me = k;
                threads[k] = new Thread(() =>
                {
                    try
                    {
                        clients[me].Socket.SendTimeout = 120_000;
                        clients[me].SendAll(streams[me], 0, streams[me].Length);
                    }
                    catch (Exception e)
                    {
                        errors[me] = e.GetType().Name + ": " + e.Message;
                    }
                })
                { IsBackground = true, Name = "qos0 publisher " + k };
                threads[k].Start();
            }

            // Back-pressure must engage before the subscriber starts reading (else the test proves nothing).
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.PublishesHeld > 0, TimeSpan.FromSeconds(60)),
                "the QoS 0 publishers were never held");

            var next = new int[pubs];
            int delivered = 0;
            byte[] buffer = new byte[65536];
            int have = 0;
            sub.Socket.ReceiveTimeout = (int)RawClient.Patience.TotalMilliseconds;
            while (delivered < total)
            {
                int n;
                try
                {
                    n = sub.Socket.Receive(buffer, have, buffer.Length - have, SocketFlags.None);
                }
                catch (SocketException e)
                {
                    throw new Xunit.Sdk.XunitException("subscriber read failed after " + delivered + " of " + total + " (" + e.SocketErrorCode
                        + "); dropped " + broker.Engine.Counters.MessagesDropped);
                }

                Assert.True(n > 0, "the broker closed the subscriber after " + delivered + " of " + total);
                have += n;
                int pos = 0;
                while (true)
                {
                    // A QoS 0 PUBLISH of topic "fan/x" and 8 bytes of payload: 0x30, remaining length, 2 + 5 + 8 bytes.
                    if (have - pos < 2 || have - pos < 2 + buffer[pos + 1])
                    {
                        break;
                    }

                    Assert.Equal(0x30, buffer[pos]);
                    Assert.Equal(15, buffer[pos + 1]);
                    int at = pos + 2 + 2 + 5;
                    int k = BitConverter.ToInt32(buffer, at);
                    int i = BitConverter.ToInt32(buffer, at + 4);
                    Assert.True(k >= 0 && k < pubs, "unknown publisher " + k);
                    Assert.True(i == next[k], "publisher " + k + ": message " + i + " where " + next[k] + " was next");
                    next[k]++;
                    delivered++;
                    pos += 17;
                }

                Array.Copy(buffer, pos, buffer, 0, have - pos);
                have -= pos;
            }

            foreach (Thread t in threads)
            {
                Assert.True(t.Join(TimeSpan.FromSeconds(120)), "a publisher never finished sending");
            }

            Counters c = broker.Engine.Counters;
            _output.WriteLine(profile + " profile over sockets: " + pubs + " QoS 0 publishers x " + per + " = " + total + "; subscriber got "
                + delivered + " in order; publishes held " + c.PublishesHeld + " times (queue full " + c.HeldQueueFull + ", pool full "
                + c.HeldPoolFull + "); dropped " + c.MessagesDropped + "; stalled cuts " + c.StalledDisconnects);
            for (int k = 0; k < pubs; k++)
            {
                Assert.Null(errors[k]);
                Assert.Equal(per, next[k]);
                clients[k].Dispose();
            }

            Assert.Equal(total, delivered);
            Assert.Equal(0, c.MessagesDropped);
            Assert.Equal(0, c.StalledDisconnects);
            Assert.Equal(0, sub.Socket.Available);
        }

        /// <summary>Publisher k's whole stream: per QoS 0 PUBLISHes to "fan/x" whose payload is (k, i) as two little-endian ints.</summary>
        private static byte[] Stream(int k, int per)
        {
            byte[] topic = System.Text.Encoding.ASCII.GetBytes("fan/x");
            byte[] payload = new byte[8];
            byte[] stream = new byte[per * 17];
            BitConverter.TryWriteBytes(new Span<byte>(payload, 0, 4), k);
            for (int i = 0; i < per; i++)
            {
                BitConverter.TryWriteBytes(new Span<byte>(payload, 4, 4), i);
                int n = PublishPacket.Encode(stream, i * 17, 17, 0, false, false, 0, topic, 0, topic.Length, payload, 0, 8);
                Assert.Equal(17, n);
            }

            return stream;
        }
    }
}
