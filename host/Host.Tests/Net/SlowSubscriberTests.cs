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
        public void A_qos0_subscriber_that_stops_reading_holds_the_publisher_only_until_it_is_cut_and_the_healthy_one_gets_everything(bool hostPlatform)
        {
            // Issue 10's QoS 0 item: this test pinned the old policy (the stuck QoS 0 subscriber's messages beyond its
            // queue dropped, DroppedQueueFull, and the publisher never held). Now QoS 0 is held for like QoS 1/2: the
            // publisher waits until the stuck subscriber is cut by the stall cut-off (a short one here, so the test
            // does not wait 5 s; no timing is asserted), and then everything flows again.
            BrokerOptions options = BrokerOptions.Host();
            options.StallTimeoutMs = 1000;
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

            // The slow client really was stuck: it held the publisher back, was cut for it, and its clean session's
            // undelivered QoS 0 messages were counted with it. Nothing was dropped while it was connected.
            Counters k = broker.Engine.Counters;
            Assert.True(k.PublishesHeld > 0, "the publisher was never held: the slow subscriber never filled up");
            Assert.Equal(1, k.StalledDisconnects);
            Assert.Equal(0, k.DroppedQueueFull);
            Assert.Equal(0, k.DroppedPoolFull);
            Assert.Equal(k.DroppedWithSession, k.MessagesDropped);
            Assert.Equal(0, healthy.Socket.Available);

            // And the broker still serves newcomers.
            using RawClient late = new RawClient(broker.Port);
            Assert.Equal(0, late.Connect("late"));
        }
    }
}
