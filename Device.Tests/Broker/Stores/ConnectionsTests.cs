using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class ConnectionsTests
    {
        [TestMethod]
        public void Qos0_for_a_client_that_does_not_read_waits_in_its_share_of_the_pool_and_beyond_it_holds_the_publisher()
        {
            // Issue 10's QoS 0 item: beyond the slow client's share this test used to count drops (DroppedQueueFull)
            // while the publisher ran on. Now the publisher is held there (the fast subscriber of the same topic is
            // paced with it), and once the slow one reads both get all 20, none dropped.
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient slow = net.Connect("slow", true);
            FakeClient fast = net.Connect("fast", true);
            slow.Subscribe("t", 0);
            fast.Subscribe("t", 0);
            slow.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            string payload = TestPackets.Repeat('p', 200);
            int fastGot = 0;
            for (int i = 0; i < 20; i++)
            {
                pub.Send(TestPackets.Publish("t", payload, 0, 0));
                while (fast.Unread > 0)
                {
                    fast.ExpectPublish("t", payload, 0);
                    fastGot++;
                }
            }

            int perPacket = TestPackets.Publish("t", payload, 0, 0).Length;
            int fits = o.TxBufferSize / perPacket;
            int queued = net.Engine.QueuedFor(net.Engine.SessionOf(slow.Handle));
            Assert.IsTrue(queued > 0, "QoS 0 waits in the pool while the session's share has room");
            Assert.IsTrue(net.Engine.IsHeld(pub.Handle), "beyond the share: the publisher is held");
            Assert.AreEqual(fits + queued, fastGot, "the fast subscriber got what was taken, no more");
            Assert.AreEqual(0, (int)net.Engine.Counters.DroppedQueueFull);
            Assert.AreEqual(0, (int)net.Engine.Counters.MessagesDropped);
            slow.Reading = true;
            int slowGot = 0;
            for (int round = 0; round < 100 && (slowGot < 20 || fastGot < 20); round++)
            {
                net.Pump();
                while (slow.Unread > 0)
                {
                    slow.ExpectPublish("t", payload, 0);
                    slowGot++;
                }

                while (fast.Unread > 0)
                {
                    fast.ExpectPublish("t", payload, 0);
                    fastGot++;
                }
            }

            Assert.AreEqual(20, slowGot);
            Assert.AreEqual(20, fastGot);
            slow.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Messages.Count, "the pool is empty again");
            Assert.AreEqual(0, pub.Unsent, "the publisher's bytes were all taken");
            Assert.IsFalse(net.Engine.IsHeld(pub.Handle));
        }

        [TestMethod]
        public void Client_that_does_not_read_is_held_back_by_its_own_answers()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("c", true);
            c.Reading = false;
            byte[] ping = TestPackets.Pingreq();
            for (int i = 0; i < 1500; i++)
            {
                c.Send(ping);
            }

            // 512 PINGRESP fill the 1 KB transmit buffer; the rest waits in the receive buffer and then "the socket".
            Assert.IsTrue(c.Unsent > 0, "back-pressure reached the client");
            Assert.IsTrue(net.Engine.IsConnected(c.Handle));
            c.Reading = true;
            net.Pump();
            int pongs = 0;
            FixedHeader h;
            int offset;
            while (c.TryNext(out h, out offset))
            {
                Assert.AreEqual(PacketType.Pingresp, h.Type);
                pongs++;
            }

            Assert.AreEqual(1500, pongs, "every PINGREQ answered once");
        }

        [TestMethod]
        public void Qos1_to_a_client_that_does_not_read_waits_in_its_queue()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient slow = net.Connect("slow", true);
            slow.Subscribe("t", 1);
            slow.Reading = false;
            FakeClient pub = net.Connect("pub", true);
            string payload = TestPackets.Repeat('q', 300);
            for (int i = 0; i < 6; i++)
            {
                pub.Send(TestPackets.Publish("t", payload + i.ToString(), 1, 1));
            }

            int s = net.Engine.SessionOf(slow.Handle);
            Assert.AreEqual(3, net.Engine.InflightFor(s), "three 300-byte packets fill the 1 KB buffer");
            Assert.AreEqual(3, net.Engine.QueuedFor(s));
            slow.Reading = true;
            net.Pump();
            for (int i = 0; i < 4; i++)
            {
                ushort id = slow.ExpectPublish("t", payload + i.ToString(), 1).PacketId;
                slow.Send(TestPackets.Ack(PacketType.Puback, id));
            }

            slow.ExpectPublish("t", payload + "4", 1);
            slow.ExpectPublish("t", payload + "5", 1);
        }

        [TestMethod]
        public void Packet_split_into_single_bytes_is_reassembled()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            FakeClient pub = net.Open();
            byte[] connect = TestPackets.Connect(new ConnectSpec("pub"));
            byte[] publish = TestPackets.Publish("t", TestPackets.Repeat('s', 300), 0, 0);
            for (int i = 0; i < connect.Length; i++)
            {
                pub.Send(connect, i, 1);
            }

            pub.ExpectConnack();
            for (int i = 0; i < publish.Length; i++)
            {
                sub.ExpectNothing();
                pub.Send(publish, i, 1);
            }

            sub.ExpectPublish("t", TestPackets.Repeat('s', 300), 0);
        }

        [TestMethod]
        public void Several_packets_in_one_read_are_all_handled()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Open();
            byte[] a = TestPackets.Connect(new ConnectSpec("c"));
            byte[] b = TestPackets.Subscribe(1, "x", 0);
            byte[] d = TestPackets.Publish("x", "y", 0, 0);
            byte[] e = TestPackets.Pingreq();
            byte[] all = new byte[a.Length + b.Length + d.Length + e.Length];
            System.Array.Copy(a, 0, all, 0, a.Length);
            System.Array.Copy(b, 0, all, a.Length, b.Length);
            System.Array.Copy(d, 0, all, a.Length + b.Length, d.Length);
            System.Array.Copy(e, 0, all, a.Length + b.Length + d.Length, e.Length);
            c.Send(all);
            c.ExpectConnack();
            c.ExpectSuback(1);
            c.ExpectPublish("x", "y", 0);
            int offset;
            c.Expect(PacketType.Pingresp, out offset);
        }

        [TestMethod]
        public void Packet_larger_than_the_maximum_closes_the_connection_from_its_header()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Connect("c", true);
            byte[] big = TestPackets.Publish("t", TestPackets.Repeat('b', o.MaxPacketSize), 0, 0);
            c.Send(big, 0, 4);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.PacketTooLarge, (int)net.Engine.ViolationOf(c.Handle));
        }

        [TestMethod]
        public void Transmit_ring_never_moves_pending_bytes_and_wraps_to_the_front()
        {
            Connections t = new Connections(2, 16, 10);
            int c = t.Open(0);
            int b = c * 10;
            Assert.AreEqual(b, t.TxClaim(c, 4));
            Assert.AreEqual(b + 4, t.TxClaim(c, 4));
            Assert.IsFalse(t.TxCanClaim(c, 3), "2 left at the end, none at the front");
            int offset;
            Assert.AreEqual(8, t.TxPending(c, out offset));
            Assert.AreEqual(b, offset);
            Assert.AreEqual(4, t.TxSent(c, 4));
            // 2 bytes at the end are too few for 3: the packet goes to the front, ahead of the unsent ones.
            Assert.AreEqual(b, t.TxClaim(c, 3));
            Assert.AreEqual(4, t.TxPending(c, out offset));
            Assert.AreEqual(b + 4, offset, "the older bytes go first");
            Assert.IsFalse(t.TxCanClaim(c, 2), "front region would overrun the unsent bytes");
            Assert.AreEqual(b + 3, t.TxClaim(c, 1));
            t.TxSent(c, 4);
            Assert.AreEqual(4, t.TxPending(c, out offset));
            Assert.AreEqual(b, offset);
            t.TxSent(c, 4);
            Assert.AreEqual(0, t.TxPendingTotal(c));
            Assert.AreEqual(b, t.TxClaim(c, 10), "an empty ring offers its whole size again");
        }
    }
}
