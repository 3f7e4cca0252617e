using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// Back-pressure (Device.Broker/Flow/BackPressure.cs): a PUBLISH (QoS 0 too, issue 10) for a connected subscriber
    /// is never dropped for lack of room; it is not taken (no PUBACK) until it can be placed, and taken as room frees.
    /// </summary>
    [TestClass]
    public class BackPressureTests
    {
        /// <summary>Publishes QoS 1 messages "m0", "m1"... to topic until one gets no PUBACK; returns how many were sent.</summary>
        private static int PublishUntilHeld(FakeNet net, FakeClient pub, string topic, int max)
        {
            for (int i = 0; i < max; i++)
            {
                pub.Send(TestPackets.Publish(topic, "m" + i.ToString(), 1, (ushort)(i + 1)));
                if (pub.Unread == 0)
                {
                    Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "no PUBACK, so the PUBLISH must be held");
                    return i + 1;
                }

                Assert.AreEqual((ushort)(i + 1), pub.ExpectAck(PacketType.Puback));
            }

            Assert.IsTrue(false, "the publisher was never held");
            return max;
        }

        [TestMethod]
        public void Back_pressure_engages_when_a_subscriber_queue_is_full_and_releases_when_it_reads()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 1);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishUntilHeld(net, pub, "t", 200);
            Counters k = net.Engine.Counters;
            Assert.AreEqual(1, (int)k.PublishesHeld);
            Assert.AreEqual(1, (int)k.HeldQueueFull);
            Assert.AreEqual(1, k.PublishersHeld);
            Assert.AreEqual(0, (int)k.MessagesDropped, "nothing dropped: the publisher waits instead");

            // More from the publisher just waits behind the held one.
            pub.Send(TestPackets.Publish("t", "m" + sent.ToString(), 1, (ushort)(sent + 1)));
            pub.ExpectNothing();
            sent++;

            sub.Reading = true;
            int got = 0;
            for (int round = 0; round < 100 && got < sent; round++)
            {
                net.Pump();
                while (sub.Unread > 0)
                {
                    PublishView v = sub.ExpectPublish();
                    Assert.AreEqual("m" + got.ToString(), sub.Text(v.PayloadOffset, v.PayloadLength), "in order, none lost");
                    sub.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                    got++;
                }
            }

            Assert.AreEqual(sent, got);
            for (int i = sent - 2; i < sent; i++)
            {
                Assert.AreEqual((ushort)(i + 1), pub.ExpectAck(PacketType.Puback), "the held ones are acknowledged once placed");
            }

            pub.ExpectNothing();
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
            Assert.AreEqual(0, k.PublishersHeld);
            Assert.AreEqual(0, net.Engine.Messages.Count);
            Assert.AreEqual(0, net.Engine.Deliveries.Used);
        }

        [TestMethod]
        public void A_client_subscribed_to_its_own_topic_is_not_locked_by_its_own_held_publish()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient self = net.Connect("self", true);
            self.Subscribe("loop", 1);
            int sent = 0;
            while (!net.Engine.IsHeld(self.Handle))
            {
                Assert.IsTrue(sent < 200, "never held");
                self.Send(TestPackets.Publish("loop", "m" + sent.ToString(), 1, (ushort)(sent + 1)));
                sent++;
            }

            Assert.IsTrue(sent > TestOptions.Device().InflightPerSession, "the queue filled first");

            // Its PUBACKs for what it received arrive behind the held PUBLISH: they are taken, room frees, the
            // held PUBLISH is placed.
            int got = 0;
            for (int round = 0; round < 100 && got < sent; round++)
            {
                FixedHeader h;
                int off;
                while (self.TryNext(out h, out off))
                {
                    if (h.Type == PacketType.Publish)
                    {
                        PublishView v = new PublishView();
                        PublishPacket.Decode(self.Inbox, off, h, v);
                        self.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                        got++;
                    }
                    else
                    {
                        Assert.AreEqual(PacketType.Puback, h.Type);
                    }
                }

                net.Pump();
            }

            Assert.AreEqual(sent, got, "every message came back to it");
            Assert.IsFalse(net.Engine.IsHeld(self.Handle));
            Assert.AreEqual(0, (int)net.Engine.Counters.MessagesDropped);
        }

        [TestMethod]
        public void Unrelated_topics_keep_flowing_while_a_publisher_is_held()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient stuck = net.Connect("stuck", true);
            stuck.Subscribe("a", 1);
            stuck.Reading = false;
            FakeClient pubA = net.Connect("pubA", true);
            PublishUntilHeld(net, pubA, "a", 200);

            FakeClient subB = net.Connect("subB", true);
            subB.Subscribe("b", 2);
            FakeClient pubB = net.Connect("pubB", true);
            for (int i = 0; i < 100; i++)
            {
                ushort id = (ushort)(i + 1);
                pubB.Send(TestPackets.Publish("b", "x" + i.ToString(), 2, id));
                Assert.AreEqual(id, pubB.ExpectAck(PacketType.Pubrec));
                pubB.Send(TestPackets.Ack(PacketType.Pubrel, id));
                Assert.AreEqual(id, pubB.ExpectAck(PacketType.Pubcomp));
                PublishView v = subB.ExpectPublish("b", "x" + i.ToString(), 2);
                subB.Send(TestPackets.Ack(PacketType.Pubrec, v.PacketId));
                Assert.AreEqual(v.PacketId, subB.ExpectAck(PacketType.Pubrel));
                subB.Send(TestPackets.Ack(PacketType.Pubcomp, v.PacketId));
            }

            Assert.IsTrue(net.Engine.IsHeld(pubA.Handle), "still held by the subscriber of its own topic");
            Assert.IsFalse(net.Engine.IsHeld(pubB.Handle));
        }

        [TestMethod]
        public void A_qos0_publisher_is_held_like_a_qos1_one_when_the_subscriber_queue_is_full_and_nothing_is_dropped()
        {
            // Issue 10's QoS 0 item: this test pinned the old policy (QoS 0 publishers never held, the excess dropped
            // as DroppedQueueFull). Now the publisher is held once the queue is full, and nothing is dropped.
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("z", 1);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 300; i++)
            {
                pub.Send(TestPackets.Publish("z", "zero", 0, 0));
            }

            Counters k = net.Engine.Counters;
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "held, not dropped");
            Assert.IsTrue(pub.Unsent > 0, "its socket is no longer read");
            Assert.AreEqual(1, (int)k.PublishesHeld);
            Assert.AreEqual(1, (int)k.HeldQueueFull);
            Assert.AreEqual(0, (int)k.MessagesDropped);
            Assert.AreEqual(0, (int)k.DroppedQueueFull);
            Assert.AreEqual(0, (int)k.DroppedPoolFull);

            sub.Reading = true;
            int got = 0;
            for (int round = 0; round < 1000 && got < 300; round++)
            {
                net.Pump();
                while (sub.Unread > 0)
                {
                    sub.ExpectPublish("z", "zero", 0);
                    got++;
                }
            }

            Assert.AreEqual(300, got, "all 300 delivered once the subscriber reads");
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
        }

        [TestMethod]
        public void A_held_publisher_is_not_taken_for_dead_by_its_keep_alive()
        {
            BrokerOptions o = TestOptions.Device();
            o.StallTimeoutMs = 600000;
            // The subscriber may then stay silent (keep-alive 0) while it does not read.
            o.KeepAliveMaxSeconds = 0;
            FakeNet net = new FakeNet(o);
            ConnectSpec subSpec = new ConnectSpec("sub");
            subSpec.KeepAlive = 0;
            FakeClient sub = net.Connect(subSpec);
            sub.Subscribe("t", 1);
            sub.Reading = false;
            ConnectSpec pubSpec = new ConnectSpec("pub");
            pubSpec.KeepAlive = 2;
            FakeClient pub = net.Connect(pubSpec);
            PublishUntilHeld(net, pub, "t", 200);
            for (int s = 0; s < 30; s++)
            {
                net.Advance(1000);
            }

            Assert.IsTrue(net.Engine.IsConnected(pub.Handle), "its PUBLISH waiting in the buffer shows it is alive ([MQTT-3.1.2-24])");
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle));
            Assert.AreEqual(0, (int)net.Engine.Counters.KeepAliveExpired);
        }
    }
}
