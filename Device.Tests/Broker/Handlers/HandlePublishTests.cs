using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandlePublishTests
    {
        [TestMethod]
        public void Qos0_publish_is_routed_and_not_answered()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("a/b", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a/b", "hello", 0, 0));
            sub.ExpectPublish("a/b", "hello", 0);
            sub.ExpectNothing();
            pub.ExpectNothing();
        }

        [TestMethod]
        public void Qos1_publish_is_routed_and_answered_with_puback()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("a/b", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a/b", "hello", 1, 42));
            Assert.AreEqual((ushort)42, pub.ExpectAck(PacketType.Puback));
            sub.ExpectPublish("a/b", "hello", 1);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        public void Ack_is_written_before_the_publishers_own_copy_can_take_its_room(int qos)
        {
            // The publisher is subscribed to its own topic at QoS 0 and reads nothing for a while: its transmit
            // buffer keeps exactly room for its own QoS 0 copy plus 2 bytes. The ack (4 bytes) must still go out
            // ([MQTT-4.3.2-2], [MQTT-4.3.3-2]); the QoS 0 copy is the one that may be dropped (counted).
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient self = net.Connect("self", true);
            self.Subscribe("t", 0);
            FakeClient other = net.Connect("other", true);
            self.Reading = false;
            // Own copy: 1 + 1 + (2 + 1 + 10) = 15 bytes; leave 15 + 2 free.
            int filler = o.TxBufferSize - 17;
            other.Send(TestPackets.Publish("t", TestPackets.Repeat('f', filler - 6), 0, 0));
            self.Send(TestPackets.Publish("t", "0123456789", (byte)qos, 9));
            self.Reading = true;
            net.Pump();
            self.ExpectPublish("t", TestPackets.Repeat('f', filler - 6), 0);
            int offset;
            FixedHeader h;
            bool acked = false;
            while (self.TryNext(out h, out offset))
            {
                if (h.Type == (qos == 1 ? PacketType.Puback : PacketType.Pubrec))
                {
                    acked = true;
                }
            }

            Assert.IsTrue(acked, "the ack was lost");
        }

        [TestMethod]
        public void Qos2_publish_is_routed_once_until_pubrel_and_repeats_get_pubrec_only()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("q2", 0);
            FakeClient pub = net.Connect("pub", true);

            pub.Send(TestPackets.Publish("q2", "first", 2, 7));
            Assert.AreEqual((ushort)7, pub.ExpectAck(PacketType.Pubrec));
            sub.ExpectPublish("q2", "first", 0);

            // The client did not see PUBREC and sends again with DUP: PUBREC again, no second copy.
            pub.Send(TestPackets.Publish("q2", "first", 2, 7, false, true));
            Assert.AreEqual((ushort)7, pub.ExpectAck(PacketType.Pubrec));
            sub.ExpectNothing();

            pub.Send(TestPackets.Ack(PacketType.Pubrel, 7));
            Assert.AreEqual((ushort)7, pub.ExpectAck(PacketType.Pubcomp));

            // After PUBREL the id is free: the same id now carries a new message.
            pub.Send(TestPackets.Publish("q2", "second", 2, 7));
            Assert.AreEqual((ushort)7, pub.ExpectAck(PacketType.Pubrec));
            sub.ExpectPublish("q2", "second", 0);
        }

        [TestMethod]
        [DataRow(0, 2, 0)]
        [DataRow(1, 2, 1)]
        [DataRow(2, 2, 2)]
        [DataRow(2, 1, 1)]
        [DataRow(2, 0, 0)]
        [DataRow(1, 0, 0)]
        public void Outbound_qos_is_the_lower_of_published_and_granted(int published, int granted, int expected)
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", (byte)granted);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "m", (byte)published, published == 0 ? (ushort)0 : (ushort)1));
            sub.ExpectPublish("t", "m", (byte)expected);
        }

        [TestMethod]
        public void Live_forward_of_a_retained_publish_carries_retain_0()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("r", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("r", "kept", 1, 3, true, false));
            PublishView v = sub.ExpectPublish("r", "kept", 1);
            Assert.IsFalse(v.Retain, "[MQTT-3.3.1-9]");
            Assert.AreEqual(1, net.Engine.Retained.Count);
        }

        [TestMethod]
        public void Publisher_subscribed_to_the_topic_receives_its_own_message()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("self", true);
            c.Subscribe("echo", 0);
            c.Send(TestPackets.Publish("echo", "me", 0, 0));
            c.ExpectPublish("echo", "me", 0);
        }

        [TestMethod]
        public void Publish_to_a_wildcard_topic_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("#", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a/+", "x", 0, 0));
            Assert.IsTrue(pub.IsClosed);
            Assert.AreEqual((int)CloseReason.ProtocolViolation, (int)net.Engine.CloseReasonOf(pub.Handle));
            Assert.AreEqual((int)DecodeResult.WildcardInTopicName, (int)net.Engine.ViolationOf(pub.Handle));
            sub.ExpectNothing();
            Assert.IsTrue(net.Engine.IsConnected(sub.Handle), "a violation closes only that connection");
        }

        [TestMethod]
        public void Publish_with_qos_3_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient pub = net.Connect("pub", true);
            byte[] p = TestPackets.Publish("t", "x", 1, 1);
            p[0] = (byte)(p[0] | 0x06);
            pub.Send(p);
            Assert.IsTrue(pub.IsClosed);
            Assert.AreEqual((int)DecodeResult.InvalidQos, (int)net.Engine.ViolationOf(pub.Handle));
        }

        [TestMethod]
        public void Publish_with_a_topic_longer_than_the_maximum_is_acknowledged_and_not_routed()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("#", 0);
            FakeClient pub = net.Connect("pub", true);
            string longTopic = TestPackets.Repeat('t', o.MaxTopicLength + 1);
            pub.Send(TestPackets.Publish(longTopic, "x", 1, 9));
            Assert.AreEqual((ushort)9, pub.ExpectAck(PacketType.Puback));
            sub.ExpectNothing();
            Assert.AreEqual(1, (int)net.Engine.Counters.PublishTopicTooLong);
            pub.Send(TestPackets.Publish(TestPackets.Repeat('t', o.MaxTopicLength), "y", 0, 0));
            sub.ExpectPublish(TestPackets.Repeat('t', o.MaxTopicLength), "y", 0);
        }

        [TestMethod]
        public void Qos1_publish_to_several_subscribers_is_stored_once()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient a = net.Connect("a", true);
            FakeClient b = net.Connect("b", true);
            FakeClient c = net.Connect("c", true);
            a.Subscribe("f", 1);
            b.Subscribe("f", 1);
            c.Subscribe("f", 2);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("f", "fan", 1, 1));
            ushort idA = a.ExpectPublish("f", "fan", 1).PacketId;
            ushort idB = b.ExpectPublish("f", "fan", 1).PacketId;
            ushort idC = c.ExpectPublish("f", "fan", 1).PacketId;
            MessagePool store = net.Engine.Messages;
            Assert.AreEqual(1, store.Count, "one stored copy for three receivers");
            a.Send(TestPackets.Ack(PacketType.Puback, idA));
            b.Send(TestPackets.Ack(PacketType.Puback, idB));
            Assert.AreEqual(1, store.Count, "still referenced by c");
            c.Send(TestPackets.Ack(PacketType.Puback, idC));
            Assert.AreEqual(0, store.Count, "freed with the last acknowledgement");
        }

        [TestMethod]
        public void Publish_to_a_sys_topic_is_acknowledged_and_not_routed()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("$SYS/#", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("$SYS/broker/uptime", "spoof", 1, 2, true, false));
            Assert.AreEqual((ushort)2, pub.ExpectAck(PacketType.Puback));
            sub.ExpectNothing();
            Assert.AreEqual(0, net.Engine.Retained.Count);
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedPublish);
            // A bridge's connection state is the one $SYS topic a client may write.
            pub.Send(TestPackets.Publish("$SYS/broker/connection/edge/state", "1", 0, 0));
            sub.ExpectPublish("$SYS/broker/connection/edge/state", "1", 0);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(2)]
        public void Payload_over_the_payload_limit_is_acknowledged_and_dropped(int qos)
        {
            // Mosquitto's message_size_limit limits the payload: a larger PUBLISH is dropped, QoS 1/2 still acknowledged.
            BrokerOptions o = TestOptions.Device();
            o.MaxPayloadSize = 4;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("size", 2);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("size", "12345", (byte)qos, 9));
            if (qos == 1)
            {
                pub.ExpectBytes(new byte[] { 0x40, 0x02, 0x00, 0x09 });
            }
            else if (qos == 2)
            {
                pub.ExpectBytes(new byte[] { 0x50, 0x02, 0x00, 0x09 });
                // The id is not remembered: PUBREL is answered as for any unknown id.
                pub.Send(TestPackets.Ack(PacketType.Pubrel, 9));
                pub.ExpectBytes(new byte[] { 0x70, 0x02, 0x00, 0x09 });
            }

            pub.ExpectNothing();
            sub.ExpectNothing();
            Assert.AreEqual(1, (int)net.Engine.Counters.PublishTooLarge);
            Assert.IsTrue(net.Engine.IsConnected(pub.Handle));

            // A payload of exactly the limit goes through.
            pub.Send(TestPackets.Publish("size", "1234", (byte)qos, 10));
            sub.ExpectPublish("size", "1234", (byte)qos);
        }

        [TestMethod]
        public void Retained_payload_over_the_payload_limit_is_not_retained()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxPayloadSize = 2;
            FakeNet net = new FakeNet(o);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("keep", "123", 0, 0, true, false));
            Assert.AreEqual(0, net.Engine.Retained.Count);
        }

        [TestMethod]
        public void Topic_with_more_levels_than_the_limit_closes_the_connection()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxTopicLevels = 3;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("#", 0);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("a/b/c", "3", 1, 1));
            pub.ExpectBytes(new byte[] { 0x40, 0x02, 0x00, 0x01 });
            sub.ExpectPublish("a/b/c", "3", 0);
            // "a/b//" has four levels (the empty ones count): no PUBACK, the connection closes.
            pub.Send(TestPackets.Publish("a/b//", "4", 1, 2));
            pub.ExpectNothing();
            Assert.IsTrue(pub.IsClosed);
            Assert.AreEqual((int)DecodeResult.TooManyTopicLevels, (int)net.Engine.ViolationOf(pub.Handle));
            sub.ExpectNothing();
        }

        [TestMethod]
        public void Host_profile_allows_mosquittos_201_levels_and_closes_at_202()
        {
            Assert.AreEqual(201, BrokerOptions.Host().MaxTopicLevels);
            BrokerOptions o = TestOptions.Device();
            o.MaxTopicLevels = 201;
            o.MaxTopicLength = 512;
            FakeNet net = new FakeNet(o);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish(Levels(201), "x", 1, 1));
            pub.ExpectBytes(new byte[] { 0x40, 0x02, 0x00, 0x01 });
            pub.Send(TestPackets.Publish(Levels(202), "x", 1, 2));
            pub.ExpectNothing();
            Assert.IsTrue(pub.IsClosed);
        }

        private static string Levels(int n)
        {
            string s = "a";
            for (int i = 1; i < n; i++)
            {
                s = s + "/a";
            }

            return s;
        }

        [TestMethod]
        public void Retained_publish_closes_the_connection_when_retain_is_not_available()
        {
            // Mosquitto with retain_available false answers a retained PUBLISH from a 3.1.1 client by disconnecting it.
            BrokerOptions o = TestOptions.Device();
            o.RetainAvailable = false;
            FakeNet net = new FakeNet(o);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "plain", 1, 1));
            pub.ExpectBytes(new byte[] { 0x40, 0x02, 0x00, 0x01 });
            pub.Send(TestPackets.Publish("t", "kept", 1, 2, true, false));
            pub.ExpectNothing();
            Assert.IsTrue(pub.IsClosed);
            Assert.AreEqual(0, net.Engine.Retained.Count);
        }

        [TestMethod]
        public void Upgrade_outgoing_qos_delivers_at_the_granted_qos()
        {
            BrokerOptions o = TestOptions.Device();
            o.UpgradeOutgoingQos = true;
            FakeNet net = new FakeNet(o);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("up", 2);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("up", "zero", 0, 0));
            PublishView v = sub.ExpectPublish("up", "zero", 2);
            Assert.AreNotEqual(0, (int)v.PacketId);

            BrokerOptions plain = TestOptions.Device();
            FakeNet net2 = new FakeNet(plain);
            FakeClient sub2 = net2.Connect("sub", true);
            sub2.Subscribe("up", 2);
            net2.Connect("pub", true).Send(TestPackets.Publish("up", "zero", 0, 0));
            sub2.ExpectPublish("up", "zero", 0);
        }
    }
}
