using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// The stall cut-off (Flow/BackPressure.cs): a subscriber that holds a publisher back and takes nothing for
    /// BrokerOptions.StallTimeoutMs is disconnected, so publishers run again. Fake clock: no real time passes.
    /// </summary>
    [TestClass]
    public class StallTests
    {
        private static int PublishUntilHeld(FakeNet net, FakeClient pub, string topic)
        {
            for (int i = 0; i < 200; i++)
            {
                pub.Send(TestPackets.Publish(topic, "m" + i.ToString(), 1, (ushort)(i + 1)));
                if (pub.Unread == 0)
                {
                    Assert.IsTrue(net.Engine.IsHeld(pub.Handle));
                    return i + 1;
                }

                pub.ExpectAck(PacketType.Puback);
            }

            Assert.IsTrue(false, "the publisher was never held");
            return 0;
        }

        /// <summary>One QoS 1 round trip between a healthy publisher and subscriber on their own topic.</summary>
        private static void Exchange(FakeClient pub, FakeClient sub, int i)
        {
            ushort id = (ushort)(i % 60000 + 1);
            pub.Send(TestPackets.Publish("healthy", "h" + i.ToString(), 1, id));
            Assert.AreEqual(id, pub.ExpectAck(PacketType.Puback), "the healthy publisher is answered at once");
            PublishView v = sub.ExpectPublish("healthy", "h" + i.ToString(), 1);
            sub.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
        }

        [TestMethod]
        public void A_stalled_subscriber_is_cut_after_its_time_while_a_healthy_pair_keeps_exchanging()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            ConnectSpec stuckSpec = new ConnectSpec("stuck");
            stuckSpec.CleanSession = false;
            FakeClient stuck = net.Connect(stuckSpec);
            stuck.Subscribe("a", 1);
            stuck.Reading = false;
            FakeClient healthySub = net.Connect("hsub", true);
            healthySub.Subscribe("healthy", 1);
            FakeClient healthyPub = net.Connect("hpub", true);
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishUntilHeld(net, pub, "a");

            int step = 500;
            int waited = 0;
            int exchanged = 0;
            while (!stuck.IsClosed)
            {
                Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "held until the cut");
                Exchange(healthyPub, healthySub, exchanged++);
                net.Advance(step);
                waited += step;
                Assert.IsTrue(waited <= o.StallTimeoutMs + 2 * step, "not cut in time");
            }

            Assert.IsTrue(waited >= o.StallTimeoutMs, "cut before its time: " + waited.ToString());
            Assert.AreEqual((int)CloseReason.Stalled, (int)net.Engine.CloseReasonOf(stuck.Handle));
            Assert.AreEqual(1, (int)net.Engine.Counters.StalledDisconnects);
            // The publisher runs again: the held PUBLISH is answered, the session queues it while the client is away.
            Assert.AreEqual((ushort)sent, pub.ExpectAck(PacketType.Puback));
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
            Exchange(healthyPub, healthySub, exchanged++);
            Assert.IsTrue(exchanged > o.StallTimeoutMs / step, "the healthy pair exchanged all along");

            // Its persistent session kept what the offline limit allows; what went beyond it was counted.
            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(stuckSpec));
            Assert.IsTrue(back.ExpectConnack().SessionPresent);
            int got = 0;
            while (back.Unread > 0)
            {
                PublishView v = back.ExpectPublish();
                back.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                got++;
            }

            Counters k = net.Engine.Counters;
            Assert.IsTrue(got <= o.MaxQueuedMessages + o.InflightPerSession);
            Assert.AreEqual(k.DroppedQueueFull, k.MessagesDropped, "only the offline limit drops");
            Assert.AreEqual(sent, got + (int)k.DroppedQueueFull, "every message it was owed arrived or was counted");
        }

        [TestMethod]
        public void A_slow_subscriber_that_keeps_taking_is_not_cut_it_paces_its_publisher()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient slow = net.Connect("slow", true);
            slow.Subscribe("a", 1);
            slow.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishUntilHeld(net, pub, "a");
            int got = 0;
            int acked = 0;
            for (int t = 0; t < 4 * o.StallTimeoutMs; t += 1000)
            {
                // About one small PUBLISH a second: slow, but it takes something, and acknowledges it.
                slow.Drain(16);
                FixedHeader h;
                int off;
                while (slow.TryNext(out h, out off))
                {
                    PublishView v = new PublishView();
                    PublishPacket.Decode(slow.Inbox, off, h, v);
                    slow.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                    got++;
                }

                while (pub.Unread > 0)
                {
                    pub.ExpectAck(PacketType.Puback);
                    acked++;
                    pub.Send(TestPackets.Publish("a", "m" + sent.ToString(), 1, (ushort)(sent + 1)));
                    sent++;
                }

                net.Advance(1000);
                Assert.IsFalse(slow.IsClosed, "cut although it kept taking");
            }

            Assert.AreEqual(0, (int)net.Engine.Counters.StalledDisconnects);
            Assert.IsTrue(got > 0, "the subscriber got messages");
            Assert.IsTrue(acked > 0, "the publisher moved on at the subscriber's pace");
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "and is held again whenever it is ahead");
            Assert.AreEqual(0, (int)net.Engine.Counters.MessagesDropped);
        }

        [TestMethod]
        public void A_stalled_clean_session_is_cut_and_its_undelivered_messages_are_counted()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient stuck = net.Connect("stuck", true);
            stuck.Subscribe("a", 1);
            stuck.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            int sent = PublishUntilHeld(net, pub, "a");
            for (int i = 0; i < 20 && !stuck.IsClosed; i++)
            {
                net.Advance(1000);
            }

            Assert.IsTrue(stuck.IsClosed);
            Counters k = net.Engine.Counters;
            // What it had been written (in its inbox now) plus what was discarded with the session is everything
            // acknowledged before the cut; the held one was then routed to nobody.
            int written = 0;
            while (stuck.Unread > 0)
            {
                stuck.ExpectPublish();
                written++;
            }

            Assert.AreEqual((ushort)sent, pub.ExpectAck(PacketType.Puback));
            Assert.IsTrue(k.DroppedWithSession > 0);
            Assert.AreEqual(k.DroppedWithSession, k.MessagesDropped);
            Assert.AreEqual(sent - 1, (int)k.DroppedWithSession, "every message acknowledged before the cut is counted with the session");
            Assert.AreEqual(TestOptions.Device().InflightPerSession, written, "the in-flight ones had been written, never acknowledged");
            Assert.AreEqual(0, net.Engine.Messages.Count);
        }

        [TestMethod]
        public void When_the_pool_is_full_the_biggest_stalled_holder_is_cut_and_everyone_runs_again()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            string big = TestPackets.Repeat('x', 700);
            // Three subscribers that stop reading, each fed by its own publisher until that one is held: together
            // they take the pool's bytes (each at most its quarter).
            FakeClient[] stuck = new FakeClient[3];
            for (int k = 0; k < 3; k++)
            {
                stuck[k] = net.Connect("stuck" + k.ToString(), true);
                stuck[k].Subscribe("a" + k.ToString(), 1);
                stuck[k].Reading = false;
                FakeClient p = net.Connect("pub" + k.ToString(), true);
                for (int i = 0; i < 10 && !net.Engine.IsHeld(p.Handle); i++)
                {
                    p.Send(TestPackets.Publish("a" + k.ToString(), big, 1, (ushort)(i + 1)));
                }
            }

            FakeClient hsub = net.Connect("hsub", true);
            hsub.Subscribe("b", 1);
            FakeClient hpub = net.Connect("hpub", true);
            hpub.Send(TestPackets.Publish("b", big, 1, 1));
            Assert.IsTrue(net.Engine.IsHeld(hpub.Handle), "the pool is full: even an unrelated topic waits");
            Assert.IsTrue(net.Engine.Counters.HeldPoolFull > 0);
            for (int t = 0; t < 20 && net.Engine.IsHeld(hpub.Handle); t++)
            {
                net.Advance(500);
            }

            Assert.IsFalse(net.Engine.IsHeld(hpub.Handle), "runs again once the biggest holder is cut");
            Assert.AreEqual((ushort)1, hpub.ExpectAck(PacketType.Puback));
            hsub.ExpectPublish("b", big, 1);
            Assert.IsTrue(net.Engine.Counters.StalledDisconnects >= 1);
            Assert.AreEqual(net.Engine.Counters.DroppedWithSession, net.Engine.Counters.MessagesDropped, "only the cut clean sessions' messages");
        }
    }
}
