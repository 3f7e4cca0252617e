using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandleAcksTests
    {
        [TestMethod]
        public void Messages_beyond_the_inflight_cap_wait_in_the_queue_and_keep_their_order()
        {
            BrokerOptions o = TestOptions.Device();
            Assert.AreEqual(4, o.InflightPerSession);
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("seq", 1);
            int s = net.Engine.SessionOf(sub.Handle);
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 10; i++)
            {
                pub.Send(TestPackets.Publish("seq", "m" + i.ToString(), 1, (ushort)(i + 1)));
            }

            ushort[] ids = new ushort[10];
            for (int i = 0; i < 4; i++)
            {
                ids[i] = sub.ExpectPublish("seq", "m" + i.ToString(), 1).PacketId;
            }

            sub.ExpectNothing();
            Assert.AreEqual(4, net.Engine.InflightFor(s));
            Assert.AreEqual(6, net.Engine.QueuedFor(s));

            // Each acknowledgement frees a slot and moves exactly the next queued message up.
            for (int i = 4; i < 10; i++)
            {
                sub.Send(TestPackets.Ack(PacketType.Puback, ids[i - 4]));
                ids[i] = sub.ExpectPublish("seq", "m" + i.ToString(), 1).PacketId;
                sub.ExpectNothing();
            }

            for (int i = 6; i < 10; i++)
            {
                sub.Send(TestPackets.Ack(PacketType.Puback, ids[i]));
            }

            Assert.AreEqual(0, net.Engine.InflightFor(s));
            Assert.AreEqual(0, net.Engine.QueuedFor(s));
            Assert.AreEqual(0, net.Engine.Messages.Count);
        }

        [TestMethod]
        public void Packet_ids_are_never_reused_while_in_flight()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("ids", 1);
            FakeClient pub = net.Connect("pub", true);
            ushort[] inFlight = new ushort[4];
            for (int i = 0; i < 4; i++)
            {
                pub.Send(TestPackets.Publish("ids", "x", 1, 1));
                inFlight[i] = sub.ExpectPublish().PacketId;
            }

            // Acknowledge one slot at a time, oldest stays unacknowledged throughout: its id must never come back.
            for (int round = 0; round < 200; round++)
            {
                int victim = 1 + round % 3;
                sub.Send(TestPackets.Ack(PacketType.Puback, inFlight[victim]));
                pub.Send(TestPackets.Publish("ids", "x", 1, 1));
                ushort id = sub.ExpectPublish().PacketId;
                for (int k = 0; k < 4; k++)
                {
                    if (k != victim)
                    {
                        Assert.AreNotEqual(inFlight[k], id, "id of a message still in flight");
                    }
                }

                inFlight[victim] = id;
            }
        }

        [TestMethod]
        public void Qos2_delivery_holds_its_slot_until_pubcomp()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("two", 2);
            int s = net.Engine.SessionOf(sub.Handle);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("two", "x", 2, 1));
            ushort id = sub.ExpectPublish("two", "x", 2).PacketId;
            sub.Send(TestPackets.Ack(PacketType.Pubrec, id));
            Assert.AreEqual(id, sub.ExpectAck(PacketType.Pubrel));
            Assert.AreEqual(1, net.Engine.InflightFor(s));
            Assert.AreEqual(0, net.Engine.Messages.Count, "the message is released at PUBREC");
            // A repeated PUBREC gets the PUBREL again.
            sub.Send(TestPackets.Ack(PacketType.Pubrec, id));
            Assert.AreEqual(id, sub.ExpectAck(PacketType.Pubrel));
            sub.Send(TestPackets.Ack(PacketType.Pubcomp, id));
            sub.ExpectNothing();
            Assert.AreEqual(0, net.Engine.InflightFor(s));
        }

        [TestMethod]
        public void Puback_with_an_unknown_id_is_ignored()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("one", 1);
            int s = net.Engine.SessionOf(sub.Handle);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("one", "x", 1, 1));
            ushort id = sub.ExpectPublish().PacketId;
            sub.Send(TestPackets.Ack(PacketType.Puback, (ushort)(id + 100)));
            sub.ExpectNothing();
            Assert.AreEqual(1, net.Engine.InflightFor(s), "an unknown id does not complete it");
            Assert.IsTrue(net.Engine.IsConnected(sub.Handle));
        }

        /// <summary>A subscriber with one message in flight at the given QoS; returns its packet id.</summary>
        private static ushort InFlight(FakeNet net, FakeClient sub, byte qos)
        {
            sub.Subscribe("flow", qos);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("flow", "x", qos, 1));
            return sub.ExpectPublish("flow", "x", qos).PacketId;
        }

        [TestMethod]
        [DataRow(1, 5)]
        [DataRow(1, 7)]
        [DataRow(2, 4)]
        [DataRow(2, 7)]
        public void An_ack_of_the_wrong_kind_closes_the_connection(int qos, int ackType)
        {
            // ackType: 4 PUBACK, 5 PUBREC, 7 PUBCOMP.
            // Mosquitto: PUBREC/PUBCOMP for a QoS 1 message, PUBACK for a QoS 2 one, PUBCOMP before PUBREC are
            // protocol errors (db__message_delete_outgoing / db__message_update_outgoing). The client sends
            // 50 02 id (PUBREC), 70 02 id (PUBCOMP) or 40 02 id (PUBACK) and gets nothing back but the close.
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            ushort id = InFlight(net, sub, (byte)qos);
            sub.Send(new byte[] { (byte)(ackType << 4), 0x02, (byte)(id >> 8), (byte)id });
            sub.ExpectNothing();
            Assert.IsTrue(sub.IsClosed);
            Assert.AreEqual((int)CloseReason.UnexpectedPacket, (int)net.Engine.CloseReasonOf(sub.Handle));
            Assert.AreEqual(1, (int)net.Engine.Counters.WrongAcks);
        }

        [TestMethod]
        public void The_right_acks_in_order_keep_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            ushort id = InFlight(net, sub, 2);
            sub.Send(new byte[] { 0x50, 0x02, (byte)(id >> 8), (byte)id });
            sub.ExpectBytes(new byte[] { 0x62, 0x02, (byte)(id >> 8), (byte)id });
            sub.Send(new byte[] { 0x70, 0x02, (byte)(id >> 8), (byte)id });
            sub.ExpectNothing();
            Assert.IsTrue(net.Engine.IsConnected(sub.Handle));
            Assert.AreEqual(0, (int)net.Engine.Counters.WrongAcks);
        }

        [TestMethod]
        public void Mqtt31_pubrel_with_dup_and_qos1_flags_is_answered()
        {
            // 3.1 sent PUBREL with QoS 1 in the header and DUP on a resend (0x6A); Mosquitto accepts it from a
            // 3.1 client, so a 3.1 client resuming its QoS 2 flow after a reconnect is not thrown out.
            FakeNet net = new FakeNet(TestOptions.Device());
            ConnectSpec spec = new ConnectSpec("old");
            spec.Level = ProtocolLevel.V31;
            FakeClient c = net.Connect(spec);
            c.Send(TestPackets.Publish("q2", "x", 2, 7));
            c.ExpectBytes(new byte[] { 0x50, 0x02, 0x00, 0x07 });
            c.Send(new byte[] { 0x6A, 0x02, 0x00, 0x07 });
            c.ExpectBytes(new byte[] { 0x70, 0x02, 0x00, 0x07 });
            Assert.IsTrue(net.Engine.IsConnected(c.Handle));
        }

        [TestMethod]
        public void Mqtt311_pubrel_with_dup_flag_closes_the_connection()
        {
            // [MQTT-3.6.1-1]: from 3.1.1 on the flags must be 0010.
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("new", true);
            c.Send(new byte[] { 0x6A, 0x02, 0x00, 0x07 });
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.InvalidHeaderFlags, (int)net.Engine.ViolationOf(c.Handle));
        }

        [TestMethod]
        public void Pubrec_and_pubrel_for_unknown_ids_are_still_answered()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("c", true);
            c.Send(TestPackets.Ack(PacketType.Pubrec, 500));
            Assert.AreEqual((ushort)500, c.ExpectAck(PacketType.Pubrel));
            c.Send(TestPackets.Ack(PacketType.Pubrel, 501));
            Assert.AreEqual((ushort)501, c.ExpectAck(PacketType.Pubcomp));
        }

        [TestMethod]
        public void Pubrel_with_wrong_flags_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("c", true);
            byte[] pubrel = TestPackets.Ack(PacketType.Pubrel, 1);
            pubrel[0] = 0x60;
            c.Send(pubrel);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.InvalidHeaderFlags, (int)net.Engine.ViolationOf(c.Handle));
        }
    }
}
