using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class DeliveriesTests
    {
        [TestMethod]
        public void Unacknowledged_publish_is_resent_with_dup_after_reconnect()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "one", 1, 1));
            pub.Send(TestPackets.Publish("t", "two", 1, 2));
            PublishView first = sub.ExpectPublish("t", "one", 1);
            PublishView second = sub.ExpectPublish("t", "two", 1);
            Assert.IsFalse(first.Dup);
            sub.DropNetwork();

            FakeClient again = net.Open();
            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            again.Send(TestPackets.Connect(spec));
            Assert.IsTrue(again.ExpectConnack().SessionPresent);
            PublishView r1 = again.ExpectPublish("t", "one", 1);
            PublishView r2 = again.ExpectPublish("t", "two", 1);
            Assert.IsTrue(r1.Dup, "[MQTT-3.3.1-1] redelivery carries DUP");
            Assert.IsTrue(r2.Dup);
            Assert.AreEqual(first.PacketId, r1.PacketId, "same packet id on redelivery");
            Assert.AreEqual(second.PacketId, r2.PacketId);
            again.ExpectNothing();
            again.Send(TestPackets.Ack(PacketType.Puback, r1.PacketId));
            again.Send(TestPackets.Ack(PacketType.Puback, r2.PacketId));
            Assert.AreEqual(0, net.Engine.InflightFor(net.Engine.SessionOf(again.Handle)));
        }

        [TestMethod]
        public void Pending_pubrel_is_resent_after_reconnect()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 2);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "x", 2, 1));
            ushort id = sub.ExpectPublish("t", "x", 2).PacketId;
            sub.Send(TestPackets.Ack(PacketType.Pubrec, id));
            Assert.AreEqual(id, sub.ExpectAck(PacketType.Pubrel));
            sub.DropNetwork();

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient again = net.Open();
            again.Send(TestPackets.Connect(spec));
            Assert.IsTrue(again.ExpectConnack().SessionPresent);
            Assert.AreEqual(id, again.ExpectAck(PacketType.Pubrel), "PUBREL, not the PUBLISH, is owed");
            again.ExpectNothing();
            again.Send(TestPackets.Ack(PacketType.Pubcomp, id));
            Assert.AreEqual(0, net.Engine.InflightFor(net.Engine.SessionOf(again.Handle)));
        }

        [TestMethod]
        public void Resends_keep_their_original_order_ahead_of_queued_messages()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("o", 1);
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 4; i++)
            {
                pub.Send(TestPackets.Publish("o", "m" + i.ToString(), 1, 1));
            }

            ushort id0 = sub.ExpectPublish().PacketId;
            sub.ExpectPublish();
            sub.ExpectPublish();
            sub.ExpectPublish();
            // The oldest is acknowledged, so a later message takes the freed slot: resends must still come in
            // the order the messages were first sent.
            sub.Send(TestPackets.Ack(PacketType.Puback, id0));
            pub.Send(TestPackets.Publish("o", "m4", 1, 1));
            sub.ExpectPublish("o", "m4", 1);
            sub.DropNetwork();
            pub.Send(TestPackets.Publish("o", "m5", 1, 1));

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient again = net.Open();
            again.Send(TestPackets.Connect(spec));
            again.ExpectConnack();
            for (int i = 1; i <= 4; i++)
            {
                Assert.IsTrue(again.ExpectPublish("o", "m" + i.ToString(), 1).Dup);
            }

            again.ExpectNothing();
            Assert.AreEqual(1, net.Engine.QueuedFor(net.Engine.SessionOf(again.Handle)), "m5 waits for a free slot");
        }

        [TestMethod]
        public void Persistent_session_queues_qos1_and_qos2_while_away_and_delivers_them_on_return()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("p", false);
            sub.Send(TestPackets.Subscribe(1, new string[] { "q1", "q2" }, new byte[] { 1, 2 }));
            sub.ExpectSuback(1);
            sub.Send(TestPackets.Disconnect());

            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("q1", "a", 1, 1));
            pub.Send(TestPackets.Publish("q2", "b", 2, 2));
            pub.Send(TestPackets.Publish("q1", "c", 1, 3));
            pub.Send(TestPackets.Publish("q1", "zero", 0, 0));

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(spec));
            ConnackView ack = back.ExpectConnack();
            Assert.IsTrue(ack.SessionPresent, "[MQTT-3.2.2-2]");
            Assert.IsFalse(back.ExpectPublish("q1", "a", 1).Dup, "never sent before: no DUP");
            back.ExpectPublish("q2", "b", 2);
            back.ExpectPublish("q1", "c", 1);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Full_offline_queue_refuses_the_newest_message_and_counts_it()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxQueuedMessages = 3;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("p", false);
            sub.Subscribe("t", 1);
            sub.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 5; i++)
            {
                pub.Send(TestPackets.Publish("t", "m" + i.ToString(), 1, (ushort)(i + 1)));
                pub.ExpectAck(PacketType.Puback);
            }

            Assert.AreEqual(2, (int)net.Engine.Counters.DroppedQueueFull);
            Assert.AreEqual(2, (int)net.Engine.Counters.MessagesDropped);
            FakeClient back = net.Connect("p", false);
            back.ExpectPublish("t", "m0", 1);
            back.ExpectPublish("t", "m1", 1);
            back.ExpectPublish("t", "m2", 1);
            back.ExpectNothing();
        }

        [TestMethod]
        public void Clean_session_leaves_nothing_behind()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("c", true);
            c.Subscribe("t", 1);
            c.Send(TestPackets.Disconnect());
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "nobody", 1, 1));
            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(new ConnectSpec("c")));
            Assert.IsFalse(back.ExpectConnack().SessionPresent);
            back.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Messages.Count);
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
        }

        [TestMethod]
        public void Clean_connect_discards_a_stored_persistent_session()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient p = net.Connect("p", false);
            p.Subscribe("t", 1);
            p.DropNetwork();
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "queued", 1, 1));
            Assert.AreEqual(1, net.Engine.Messages.Count);

            FakeClient clean = net.Open();
            clean.Send(TestPackets.Connect(new ConnectSpec("p")));
            Assert.IsFalse(clean.ExpectConnack().SessionPresent);
            clean.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Messages.Count);
            Assert.AreEqual(0, net.Engine.Subscriptions.Count);
            clean.Send(TestPackets.Disconnect());

            ConnectSpec spec = new ConnectSpec("p");
            spec.CleanSession = false;
            FakeClient fresh = net.Open();
            fresh.Send(TestPackets.Connect(spec));
            Assert.IsFalse(fresh.ExpectConnack().SessionPresent, "the old session is gone for good");
        }

        [TestMethod]
        public void In_flight_entries_get_distinct_ids_and_free_their_entry()
        {
            MessagePool pool = new MessagePool(16, 256);
            Deliveries d = new Deliveries(4, 2);
            int a = d.AddInflight(1, -1, Deliveries.AwaitPuback, false);
            int b = d.AddInflight(1, -1, Deliveries.AwaitPubrec, true);
            int c = d.AddInflight(1, -1, Deliveries.AwaitPuback, false);
            Assert.AreNotEqual(d.PacketId(a), d.PacketId(b));
            Assert.AreNotEqual(d.PacketId(b), d.PacketId(c));
            Assert.AreEqual(b, d.Find(1, d.PacketId(b)));
            Assert.AreEqual(-1, d.Find(0, d.PacketId(b)), "ids are per session");
            Assert.IsTrue(d.Retain(b));
            Assert.AreEqual((byte)2, d.Qos(b));
            d.RemoveInflight(1, b);
            Assert.AreEqual(2, d.Inflight(1));
            Assert.AreEqual(-1, d.Find(1, d.PacketId(b)));
            Assert.AreEqual(2, d.Available, "the freed entry is back in the shared pool");
            d.AddInflight(0, -1, Deliveries.AwaitPuback, false);
            d.AddInflight(0, -1, Deliveries.AwaitPuback, false);
            Assert.AreEqual(-1, d.AddInflight(1, -1, Deliveries.AwaitPuback, false), "every entry taken, by any session");
            Assert.AreEqual(0, d.Clear(0, pool) + d.Clear(1, pool), "entries without a message are not undelivered messages");
            Assert.AreEqual(4, d.Available);
        }

        [TestMethod]
        public void Queued_entries_keep_their_order_and_join_the_in_flight_prefix_from_the_front()
        {
            MessagePool pool = new MessagePool(16, 256);
            Deliveries d = new Deliveries(6, 2);
            byte[] t = TestPackets.Bytes("t");
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < 3; i++)
                {
                    int m = pool.Add(t, 0, 1, t, 0, 0);
                    Assert.IsTrue(d.Enqueue(1, m, (byte)(i % 3), i == 1, 1));
                }

                Assert.AreEqual(3, d.QueuedCount(1));
                Assert.AreEqual(3, d.QueuedBytes(1));
                for (int i = 0; i < 3; i++)
                {
                    int e = d.FirstQueued(1);
                    Assert.AreEqual((byte)(i % 3), d.Qos(e));
                    Assert.AreEqual(i == 1, d.Retain(e));
                    if (d.Qos(e) == 0)
                    {
                        pool.Release(d.Message(e));
                        d.RemoveQueued(1, e, 1);
                    }
                    else
                    {
                        d.Promote(1, 1);
                        Assert.AreEqual(e, d.Find(1, d.PacketId(e)), "promoted: in flight with an id");
                    }
                }

                Assert.AreEqual(0, d.QueuedCount(1));
                Assert.AreEqual(2, d.Inflight(1));
                // The newer of the two is acknowledged first: the older stays at the front.
                int newest = d.Next(d.First(1));
                pool.Release(d.Message(newest));
                d.RemoveInflight(1, newest);
                int oldest = d.First(1);
                pool.Release(d.Message(oldest));
                d.RemoveInflight(1, oldest);
            }

            Assert.AreEqual(0, d.Count(1));
            Assert.AreEqual(0, d.Used);
            Assert.AreEqual(0, pool.Count);
        }

        [TestMethod]
        public void Going_offline_keeps_the_oldest_queued_within_the_limits_and_drops_qos0()
        {
            MessagePool pool = new MessagePool(16, 256);
            Deliveries d = new Deliveries(16, 1);
            byte[] t = TestPackets.Bytes("abcd");
            int inflight = pool.Add(t, 0, 1, t, 0, 3);
            d.AddInflight(0, inflight, Deliveries.AwaitPuback, false);
            for (int i = 0; i < 6; i++)
            {
                int m = pool.Add(t, 0, 1, t, 0, 3);
                d.Enqueue(0, m, (byte)(i == 1 ? 0 : 1), false, 4);
            }

            int qos0;
            int over;
            d.TrimQueued(0, pool, 3, 0, false, out qos0, out over);
            Assert.AreEqual(1, qos0, "QoS 0 is not kept offline");
            Assert.AreEqual(2, over, "beyond three messages");
            Assert.AreEqual(3, d.QueuedCount(0));
            Assert.AreEqual(1, d.Inflight(0), "an in-flight message is owed a resend and stays");
            Assert.AreEqual(4, pool.Count);
            d.TrimQueued(0, pool, 100, 8, true, out qos0, out over);
            Assert.AreEqual(1, over, "8 bytes hold two 4-byte messages");
            Assert.AreEqual(2, d.QueuedCount(0));
            Assert.AreEqual(8, d.QueuedBytes(0));
            d.Clear(0, pool);
            Assert.AreEqual(0, pool.Count);
            Assert.AreEqual(0, d.Used);
        }
    }
}
