using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MqttClientReceiveTests
    {
        private static ClientRecorder _rec;
        private static MqttClient _client;

        private static void Connected()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            _rec.Events.Clear();
        }

        [TestMethod]
        public void Qos0_message_is_delivered_and_not_acknowledged()
        {
            Connected();
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("a/b", "hello", 0, false, 0), 1);
            Assert.AreEqual("msg a/b=hello q0", _rec.Joined());
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Qos1_message_is_delivered_and_acknowledged_with_PUBACK()
        {
            Connected();
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 1, false, 0x1234), 1);
            Assert.AreEqual("msg t=x q1", _rec.Joined());
            CollectionAssert.AreEqual(new byte[] { 0x40, 2, 0x12, 0x34 }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Qos2_message_is_delivered_once_though_redelivered_before_PUBREL()
        {
            Connected();
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 2, false, 7), 1);
            CollectionAssert.AreEqual(new byte[] { 0x50, 2, 0, 7 }, ClientHarness.Take(_client));
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 2, true, 7), 2);
            CollectionAssert.AreEqual(new byte[] { 0x50, 2, 0, 7 }, ClientHarness.Take(_client));
            Assert.AreEqual("msg t=x q2", _rec.Joined());

            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubrel, 7), 3);
            CollectionAssert.AreEqual(new byte[] { 0x70, 2, 0, 7 }, ClientHarness.Take(_client));

            // After PUBREL the id is free again: the next PUBLISH carrying it is a new message.
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "y", 2, false, 7), 4);
            Assert.AreEqual("msg t=x q2|msg t=y q2", _rec.Joined());
        }

        [TestMethod]
        public void PUBREL_for_an_unknown_id_is_still_answered_with_PUBCOMP()
        {
            Connected();
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubrel, 9), 1);
            CollectionAssert.AreEqual(new byte[] { 0x70, 2, 0, 9 }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void A_packet_split_across_reads_is_processed_once_complete()
        {
            Connected();
            byte[] p = ClientHarness.ServerPublish("topic", "payload", 1, false, 3);
            for (int i = 0; i < p.Length; i++)
            {
                Assert.AreEqual("", _rec.Joined());
                ClientHarness.Feed(_client, new byte[] { p[i] }, i);
            }

            Assert.AreEqual("msg topic=payload q1", _rec.Joined());
            Assert.AreEqual(0, _client.ReceiveCount);
        }

        [TestMethod]
        public void Several_packets_in_one_read_are_all_processed_and_a_partial_tail_is_kept()
        {
            Connected();
            byte[] a = ClientHarness.ServerPublish("a", "1", 0, false, 0);
            byte[] b = ClientHarness.ServerPublish("b", "2", 1, false, 5);
            byte[] c = ClientHarness.ServerPublish("c", "3", 0, false, 0);
            byte[] all = ClientHarness.Concat(ClientHarness.Concat(a, b), new byte[] { c[0], c[1] });
            ClientHarness.Feed(_client, all, 1);
            Assert.AreEqual("msg a=1 q0|msg b=2 q1", _rec.Joined());
            Assert.AreEqual(2, _client.ReceiveCount);
            byte[] rest = new byte[c.Length - 2];
            System.Array.Copy(c, 2, rest, 0, rest.Length);
            ClientHarness.Feed(_client, rest, 2);
            Assert.AreEqual("msg a=1 q0|msg b=2 q1|msg c=3 q0", _rec.Joined());
        }

        [TestMethod]
        public void A_full_transmit_buffer_pauses_processing_until_it_is_drained()
        {
            Connected();
            // Fill the 256-byte transmit buffer until there is no room left for an ack.
            byte[] t = ClientHarness.Bytes("t");
            ushort id;
            Assert.AreEqual(ClientResult.Ok, _client.Publish(t, 0, 1, new byte[250], 0, 249, 0, false, out id));
            Assert.AreEqual(255, _client.TransmitCount);

            byte[] b = ClientHarness.ServerPublish("b", "2", 1, false, 5);
            ClientHarness.Feed(_client, b, 1);
            Assert.AreEqual("", _rec.Joined());
            Assert.AreEqual(b.Length, _client.ReceiveCount);

            _client.Sent(_client.TransmitCount);
            _client.Received(0, 2);
            Assert.AreEqual("msg b=2 q1", _rec.Joined());
            CollectionAssert.AreEqual(new byte[] { 0x40, 2, 0, 5 }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Disconnect_from_inside_a_message_callback_stops_further_delivery()
        {
            Connected();
            _rec.DisconnectAfterMessages = 1;
            byte[] two = ClientHarness.Concat(ClientHarness.ServerPublish("a", "1", 1, false, 1), ClientHarness.ServerPublish("b", "2", 0, false, 0));
            ClientHarness.Feed(_client, two, 1);
            Assert.AreEqual("msg a=1 q1", _rec.Joined());
            // The PUBACK was queued before the message was handed out, then the DISCONNECT.
            CollectionAssert.AreEqual(new byte[] { 0x40, 2, 0, 1, 0xE0, 0 }, ClientHarness.Take(_client));
            Assert.AreEqual(ClientState.Disconnected, _client.State);
        }

        [TestMethod]
        public void A_packet_larger_than_the_receive_buffer_closes_the_connection()
        {
            Connected();
            // Header announcing 300 bytes, more than the 256-byte receive buffer can ever hold.
            ClientHarness.Feed(_client, new byte[] { 0x30, 0xAC, 0x02 }, 1);
            Assert.AreEqual("closed PacketTooLarge", _rec.Joined());
            Assert.AreEqual(ClientState.Disconnected, _client.State);
        }

        [TestMethod]
        public void A_malformed_packet_closes_and_says_why()
        {
            Connected();
            // PUBLISH with both QoS bits set.
            ClientHarness.Feed(_client, new byte[] { 0x36, 5, 0, 1, (byte)'t', 0, 1 }, 1);
            Assert.AreEqual("closed MalformedPacket", _rec.Joined());
            Assert.AreEqual(DecodeResult.InvalidQos, _client.LastDecodeResult);
        }

        [TestMethod]
        [DataRow(0x82)]
        [DataRow(0xA2)]
        [DataRow(0xC0)]
        [DataRow(0xE0)]
        [DataRow(0x20)]
        public void Packets_only_a_client_sends_or_a_second_CONNACK_close_the_connection(int first)
        {
            Connected();
            ClientHarness.Feed(_client, new byte[] { (byte)first, 0 }, 1);
            Assert.AreEqual("closed UnexpectedPacket", _rec.Joined());
        }

        [TestMethod]
        public void Acks_for_unknown_packet_ids_are_ignored()
        {
            Connected();
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Puback, 42), 1);
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubcomp, 42), 1);
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubrec, 42), 1);
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Unsuback, 42), 1);
            Assert.AreEqual("", _rec.Joined());
            Assert.AreEqual(ClientState.Connected, _client.State);
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Bytes_after_the_connection_ended_are_dropped()
        {
            Connected();
            _client.Disconnect();
            ClientHarness.Take(_client);
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 0, false, 0), 1);
            Assert.AreEqual("", _rec.Joined());
            Assert.AreEqual(0, _client.ReceiveCount);
        }

        [TestMethod]
        public void A_publish_the_gate_holds_is_not_acknowledged_and_waits_with_what_follows_it()
        {
            Connected();
            ushort a, b;
            ClientHarness.Publish(_client, "up", "1", 1, false, out a);
            ClientHarness.Publish(_client, "up", "2", 1, false, out b);
            ClientHarness.Take(_client);
            // One read holding an ack, a message and a second ack (the bridge reads all the socket has).
            byte[] publish = ClientHarness.ServerPublish("t", "x", 1, false, 9);
            byte[] bytes = ClientHarness.Concat(ClientHarness.Concat(ClientHarness.Ack(PacketType.Puback, a), publish), ClientHarness.Ack(PacketType.Puback, b));
            System.Array.Copy(bytes, 0, _client.ReceiveBuffer, 0, bytes.Length);
            SwitchGate gate = new SwitchGate();
            _client.Received(bytes.Length, 1, gate);

            // The ack before it is processed; the message is neither delivered nor acknowledged ([MQTT-4.3.2-2]: a
            // PUBACK is a promise), and the ack after it waits behind it, in order.
            Assert.AreEqual("finished " + a + " acked", _rec.Joined());
            Assert.AreEqual(0, _client.TransmitCount);
            Assert.AreEqual(1, _client.InflightCount);
            Assert.AreEqual(publish.Length + 4, _client.ReceiveCount);
            Assert.AreEqual(1, gate.Asked);

            gate.Open = true;
            _client.Received(0, 2, gate);
            Assert.AreEqual("finished " + a + " acked|msg t=x q1|finished " + b + " acked", _rec.Joined());
            CollectionAssert.AreEqual(new byte[] { 0x40, 2, 0, 9 }, ClientHarness.Take(_client));
            Assert.AreEqual(0, _client.ReceiveCount);
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Without_a_gate_every_whole_packet_is_processed()
        {
            Connected();
            byte[] bytes = ClientHarness.Concat(ClientHarness.ServerPublish("t", "x", 1, false, 9), ClientHarness.ServerPublish("t", "y", 0, false, 0));
            ClientHarness.Feed(_client, bytes, 1);
            Assert.AreEqual("msg t=x q1|msg t=y q0", _rec.Joined());
            Assert.AreEqual(0, _client.ReceiveCount);
        }
    }
}
