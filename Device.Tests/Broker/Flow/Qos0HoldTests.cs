using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// QoS 0 back-pressure (issue 10, Flow/BackPressure.cs): for a connected subscriber QoS 0 is placed like QoS 1/2,
    /// so a subscriber at its queue limit holds the QoS 0 publisher (its socket is not read further) instead of the
    /// message being dropped; the stall cut-off frees the publisher from one that takes nothing. QoS 0 is dropped,
    /// counted, only where nobody can be held: offline sessions (queue_qos0_messages) and the engine's own sources
    /// (a will). Fake clock: no real time passes.
    /// </summary>
    [TestClass]
    public class Qos0HoldTests
    {
        /// <summary>Publishes QoS 0 "m0", "m1"... to topic until the publisher is held; returns how many were sent.</summary>
        private static int PublishQos0UntilHeld(FakeNet net, FakeClient pub, string topic, int max)
        {
            for (int i = 0; i < max; i++)
            {
                pub.Send(TestPackets.Publish(topic, "m" + i.ToString(), 0, 0));
                if (net.Engine.IsHeld(pub.Handle))
                {
                    return i + 1;
                }
            }

            Assert.IsTrue(false, "the QoS 0 publisher was never held");
            return max;
        }

        /// <summary>
        /// Pumps (at most rounds times) until sent messages arrived, each QoS 0 and "m0", "m1"... in order; returns how
        /// many arrived.
        /// </summary>
        private static int DrainInOrder(FakeNet net, FakeClient sub, int sent, int rounds, string order)
        {
            int got = 0;
            for (int round = 0; round < rounds && got < sent; round++)
            {
                net.Pump();
                while (sub.Unread > 0)
                {
                    PublishView v = sub.ExpectPublish();
                    Assert.AreEqual(0, (int)v.Qos);
                    Assert.AreEqual("m" + got.ToString(), sub.Text(v.PayloadOffset, v.PayloadLength), order);
                    got++;
                }
            }

            return got;
        }

        [TestMethod]
        public void A_qos0_publisher_is_held_when_a_connected_subscriber_queue_is_full_and_released_in_order_when_it_drains()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("z", 0);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishQos0UntilHeld(net, pub, "z", 400);
            Counters k = net.Engine.Counters;
            Assert.AreEqual(o.MaxQueuedMessages, net.Engine.QueuedFor(net.Engine.SessionOf(sub.Handle)), "held once its queue is at the limit");
            Assert.AreEqual(1, (int)k.PublishesHeld);
            Assert.AreEqual(1, (int)k.HeldQueueFull);
            Assert.AreEqual(1, k.PublishersHeld);
            Assert.AreEqual(0, (int)k.MessagesDropped, "nothing dropped: the QoS 0 publisher waits instead");

            // More QoS 0 from the publisher waits behind the held one, in its receive buffer and then in "the socket".
            for (int i = 0; i < 150; i++)
            {
                pub.Send(TestPackets.Publish("z", "m" + sent.ToString(), 0, 0));
                sent++;
            }

            Assert.IsTrue(pub.Unsent > 0, "its socket is no longer read");
            Assert.AreEqual(0, (int)k.MessagesDropped);

            sub.Reading = true;
            int got = DrainInOrder(net, sub, sent, 1000, "in order, none lost");
            Assert.AreEqual(sent, got, "every QoS 0 message delivered");
            Assert.AreEqual(0, pub.Unsent);
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
            Assert.AreEqual(0, k.PublishersHeld);
            Assert.AreEqual(0, (int)k.MessagesDropped);
            Assert.AreEqual(0, net.Engine.Messages.Count, "the pool is empty again");
            Assert.AreEqual(0, net.Engine.Deliveries.Used);
        }

        [TestMethod]
        public void A_stalled_qos0_subscriber_is_cut_after_its_time_while_a_healthy_pair_keeps_exchanging()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            ConnectSpec stuckSpec = new ConnectSpec("stuck");
            stuckSpec.CleanSession = false;
            FakeClient stuck = net.Connect(stuckSpec);
            stuck.Subscribe("a", 0);
            stuck.Reading = false;
            FakeClient healthySub = net.Connect("hsub", true);
            healthySub.Subscribe("healthy", 0);
            FakeClient healthyPub = net.Connect("hpub", true);
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishQos0UntilHeld(net, pub, "a", 400);

            int step = 500;
            int waited = 0;
            int exchanged = 0;
            while (!stuck.IsClosed)
            {
                Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "held until the cut");
                healthyPub.Send(TestPackets.Publish("healthy", "h" + exchanged.ToString(), 0, 0));
                healthySub.ExpectPublish("healthy", "h" + exchanged.ToString(), 0);
                exchanged++;
                net.Advance(step);
                waited += step;
                Assert.IsTrue(waited <= o.StallTimeoutMs + 2 * step, "not cut in time");
            }

            Assert.IsTrue(waited >= o.StallTimeoutMs, "cut before its time: " + waited.ToString());
            Assert.AreEqual((int)CloseReason.Stalled, (int)net.Engine.CloseReasonOf(stuck.Handle));
            Counters k = net.Engine.Counters;
            Assert.AreEqual(1, (int)k.StalledDisconnects);
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle), "the publisher runs again");
            Assert.IsTrue(exchanged >= o.StallTimeoutMs / step, "the healthy pair exchanged all along");

            // What had been written to it reached its inbox (the transport flushes before closing); the rest, queued
            // QoS 0 and the held one, went to a persistent session that is away: queue_qos0_messages false drops it, counted.
            int written = 0;
            while (stuck.Unread > 0)
            {
                PublishView v = stuck.ExpectPublish();
                Assert.AreEqual("m" + written.ToString(), stuck.Text(v.PayloadOffset, v.PayloadLength));
                written++;
            }

            Assert.IsTrue(k.DroppedOfflineQos0 > 0);
            Assert.AreEqual(sent, written + (int)k.DroppedOfflineQos0, "every message arrived or was counted");
            Assert.AreEqual(k.DroppedOfflineQos0, k.MessagesDropped, "only the offline rule dropped");

            // The healthy pair still exchanges, and the publisher is answered again at once.
            pub.Send(TestPackets.Publish("a", "after", 0, 0));
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
            healthyPub.Send(TestPackets.Publish("healthy", "last", 0, 0));
            healthySub.ExpectPublish("healthy", "last", 0);
        }

        [TestMethod]
        public void Qos0_for_an_offline_persistent_session_is_dropped_and_counted_without_holding_the_publisher()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient away = net.Connect("away", false);
            away.Subscribe("z", 0);
            away.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 3 * o.MaxQueuedMessages; i++)
            {
                pub.Send(TestPackets.Publish("z", "m" + i.ToString(), 0, 0));
                Assert.IsFalse(net.Engine.IsHeld(pub.Handle), "nobody to hold for: an away session never holds a publisher");
            }

            Counters k = net.Engine.Counters;
            Assert.AreEqual(3 * o.MaxQueuedMessages, (int)k.DroppedOfflineQos0, "queue_qos0_messages false: not kept offline");
            Assert.AreEqual(k.DroppedOfflineQos0, k.MessagesDropped);
            Assert.AreEqual(0, (int)k.PublishesHeld);
            FakeClient back = net.Open();
            ConnectSpec spec = new ConnectSpec("away");
            spec.CleanSession = false;
            back.Send(TestPackets.Connect(spec));
            Assert.IsTrue(back.ExpectConnack().SessionPresent);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Qos0_for_an_offline_persistent_session_with_queue_qos0_messages_keeps_its_limit_and_counts_the_rest()
        {
            BrokerOptions o = TestOptions.Device();
            o.QueueQos0Messages = true;
            o.MaxQueuedMessages = 5;
            FakeNet net = new FakeNet(o);
            FakeClient away = net.Connect("away", false);
            away.Subscribe("z", 0);
            away.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 12; i++)
            {
                pub.Send(TestPackets.Publish("z", "m" + i.ToString(), 0, 0));
                Assert.IsFalse(net.Engine.IsHeld(pub.Handle), "an away session never holds a publisher");
            }

            Counters k = net.Engine.Counters;
            Assert.AreEqual(0, (int)k.DroppedOfflineQos0);
            Assert.AreEqual(12 - 5, (int)k.DroppedQueueFull, "beyond max_queued_messages: the newest dropped, counted");
            Assert.AreEqual(k.DroppedQueueFull, k.MessagesDropped);
            FakeClient back = net.Open();
            ConnectSpec spec = new ConnectSpec("away");
            spec.CleanSession = false;
            back.Send(TestPackets.Connect(spec));
            Assert.IsTrue(back.ExpectConnack().SessionPresent);
            for (int i = 0; i < 5; i++)
            {
                back.ExpectPublish("z", "m" + i.ToString(), 0);
            }

            back.ExpectNothing();
        }

        [TestMethod]
        public void A_qos0_will_for_a_subscriber_whose_queue_is_full_is_dropped_and_counted_nobody_to_hold()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("z", 0);
            sub.Subscribe("will", 0);
            sub.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishQos0UntilHeld(net, pub, "z", 400);
            ConnectSpec willSpec = new ConnectSpec("dying");
            willSpec.WillTopic = "will";
            willSpec.WillMessage = "gone";
            willSpec.WillQos = 0;
            FakeClient dying = net.Connect(willSpec);
            Counters k = net.Engine.Counters;
            Assert.AreEqual(0, (int)k.MessagesDropped);

            // The will has no socket to stop reading: with the subscriber's queue at its limit it is dropped, counted.
            dying.DropNetwork();
            Assert.AreEqual(1, (int)k.DroppedQueueFull, "the will, beyond the queue limit");
            Assert.AreEqual(1, (int)k.MessagesDropped);
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "the publisher is still held, not dropped");

            sub.Reading = true;
            int got = DrainInOrder(net, sub, sent, 100, "the held publisher's messages, in order");
            Assert.AreEqual(sent, got);
            Assert.AreEqual(1, (int)k.MessagesDropped, "only the will");
        }
    }
}
