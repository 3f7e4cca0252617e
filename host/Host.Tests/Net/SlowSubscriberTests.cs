using System.Threading;
using System;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    public class SlowSubscriberTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_subscriber_that_stops_reading_does_not_hold_up_a_healthy_one_or_the_publisher(bool hostPlatform)
        {
            BrokerOptions options = BrokerOptions.Host();
            options.MaxClients = 8;
            options.MaxPacketSize = 8192;
            options.TxBufferSize = 65536;
            using LoopBroker broker = new LoopBroker(options, hostPlatform: hostPlatform);

            // A tiny receive window so the stall reaches the broker's socket, and the engine's buffer behind it, soon.
            using RawClient slow = new RawClient(broker.Port, receiveBufferSize: 2048);
            Assert.Equal(0, slow.Connect("slow"));
            Assert.Equal(0, slow.Subscribe("flood/#", 0));

            using RawClient healthy = new RawClient(broker.Port);
            Assert.Equal(0, healthy.Connect("healthy"));
            Assert.Equal(1, healthy.Subscribe("flood/#", 1));

            using RawClient publisher = new RawClient(broker.Port);
            Assert.Equal(0, publisher.Connect("publisher"));

            // 3,000 messages of 4 KB: far more than the slow client's socket buffers and the engine's 64 KB
            // transmit buffer for it can hold. Each one must reach the healthy subscriber and be acknowledged to
            // the publisher (every read is bounded, so a stall fails the test instead of hanging it).
            byte[] payload = new byte[4000];
            for (int i = 1; i <= 3000; i++)
            {
                payload[0] = (byte)i;
                payload[1] = (byte)(i >> 8);
                publisher.Publish("flood/data", payload, 1, (ushort)i);
                byte[] puback = publisher.ReadPacket();
                Assert.Equal(0x40, puback[0]);

                byte[] message = healthy.ReadPacket();
                Assert.Equal(0x32, message[0] & 0xF6);
                int at = message.Length - payload.Length;
                Assert.Equal((byte)i, message[at]);
                Assert.Equal((byte)(i >> 8), message[at + 1]);
                int id = (message[at - 2] << 8) | message[at - 1];
                healthy.Send(0x40, new byte[] { (byte)(id >> 8), (byte)id });
            }

            // The slow client really was stuck: its QoS 0 queue reached its limit (MaxQueuedMessages) and the rest was
            // dropped, counted; QoS 0 never holds the publisher back.
            Assert.True(broker.Engine.Counters.DroppedQueueFull > 0, "no message was dropped: the slow subscriber never filled up");
            Assert.Equal(0, broker.Engine.Counters.PublishesHeld);
            Assert.Equal(0, healthy.Socket.Available);

            // And the broker still serves newcomers.
            using RawClient late = new RawClient(broker.Port);
            Assert.Equal(0, late.Connect("late"));
        }
    }
}
