using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MqttClientTests
    {
        private static ClientRecorder _rec;
        private static MqttClient _client;

        private static void Fresh(int window)
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, window);
        }

        [TestMethod]
        public void Connect_queues_a_3_1_1_CONNECT_with_will_and_credentials()
        {
            Fresh(2);
            ConnectOptions o = new ConnectOptions();
            o.ClientId = "c1";
            o.CleanSession = true;
            o.KeepAliveSeconds = 60;
            o.WillTopic = "w";
            o.WillPayload = new byte[] { (byte)'x' };
            o.WillQos = 1;
            o.WillRetain = true;
            o.Username = "u";
            o.Password = new byte[] { (byte)'p' };
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);

            Assert.AreEqual(ClientResult.Ok, _client.Connect(v, src, 0));
            Assert.AreEqual(ClientState.Connecting, _client.State);
            CollectionAssert.AreEqual(new byte[]
            {
                0x10, 26, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xEE, 0, 60,
                0, 2, (byte)'c', (byte)'1', 0, 1, (byte)'w', 0, 1, (byte)'x', 0, 1, (byte)'u', 0, 1, (byte)'p'
            }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Connect_as_3_1_names_the_protocol_MQIsdp_level_3()
        {
            Fresh(2);
            ConnectOptions o = new ConnectOptions();
            o.ProtocolLevel = ProtocolLevel.V31;
            o.ClientId = "a";
            o.KeepAliveSeconds = 5;
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);
            _client.Connect(v, src, 0);
            CollectionAssert.AreEqual(new byte[]
            {
                0x10, 15, 0, 6, (byte)'M', (byte)'Q', (byte)'I', (byte)'s', (byte)'d', (byte)'p', 3, 0x02, 0, 5, 0, 1, (byte)'a'
            }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Connect_is_refused_while_a_connection_is_open()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ConnectView v = new ConnectView();
            byte[] src = ClientHarness.BuildOptions("c", true, 60, v);
            Assert.AreEqual(ClientResult.WrongState, _client.Connect(v, src, 0));
        }

        [TestMethod]
        public void Connack_0_makes_the_client_connected_and_reports_it()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", false, 60, ClientHarness.Connack0SessionPresent, 0);
            Assert.AreEqual(ClientState.Connected, _client.State);
            Assert.AreEqual("connack 0 sp", _rec.Joined());
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(4)]
        [DataRow(5)]
        public void Refused_connack_reports_its_code_and_closes(int code)
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, new byte[] { 0x20, 2, 0, (byte)code }, 0);
            Assert.AreEqual(ClientState.Disconnected, _client.State);
            Assert.AreEqual("connack " + code + "|closed Refused", _rec.Joined());
        }

        [TestMethod]
        public void A_first_packet_other_than_CONNACK_closes_the_connection()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.ServerPublish("t", "x", 0, false, 0), 0);
            Assert.AreEqual("closed UnexpectedPacket", _rec.Joined());
            Assert.AreEqual(ClientState.Disconnected, _client.State);
        }

        [TestMethod]
        public void No_CONNACK_within_the_timeout_closes_the_connection()
        {
            Fresh(2);
            ConnectView v = new ConnectView();
            byte[] src = ClientHarness.BuildOptions("c", true, 60, v);
            _client.ConnackTimeoutMs = 1000;
            _client.Connect(v, src, 5000);
            _client.Tick(5999);
            Assert.AreEqual(ClientState.Connecting, _client.State);
            _client.Tick(6000);
            Assert.AreEqual("closed ConnackTimeout", _rec.Joined());
        }

        [TestMethod]
        public void Publish_before_CONNACK_is_refused()
        {
            Fresh(2);
            ushort id;
            Assert.AreEqual(ClientResult.WrongState, ClientHarness.Publish(_client, "t", "x", 0, false, out id));
        }

        [TestMethod]
        public void Publish_qos0_carries_no_packet_id_and_takes_no_slot()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            Assert.AreEqual(ClientResult.Ok, ClientHarness.Publish(_client, "a/b", "hi", 0, true, out id));
            Assert.AreEqual((ushort)0, id);
            Assert.AreEqual(0, _client.InflightCount);
            CollectionAssert.AreEqual(new byte[] { 0x31, 7, 0, 3, (byte)'a', (byte)'/', (byte)'b', (byte)'h', (byte)'i' }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Publish_qos1_is_finished_by_its_PUBACK()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            Assert.AreEqual(ClientResult.Ok, ClientHarness.Publish(_client, "t", "x", 1, false, out id));
            Assert.AreEqual((ushort)1, id);
            CollectionAssert.AreEqual(new byte[] { 0x32, 6, 0, 1, (byte)'t', 0, 1, (byte)'x' }, ClientHarness.Take(_client));
            Assert.AreEqual(1, _client.InflightCount);

            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Puback, 1), 10);
            Assert.AreEqual("connack 0|finished 1 acked", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Publish_qos2_answers_PUBREC_with_PUBREL_and_is_finished_by_PUBCOMP()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 2, false, out id);
            CollectionAssert.AreEqual(new byte[] { 0x34, 6, 0, 1, (byte)'t', 0, 1, (byte)'x' }, ClientHarness.Take(_client));

            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubrec, id), 10);
            CollectionAssert.AreEqual(new byte[] { 0x62, 2, 0, 1 }, ClientHarness.Take(_client));
            Assert.AreEqual("connack 0", _rec.Joined());

            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubcomp, id), 20);
            Assert.AreEqual("connack 0|finished 1 acked", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void A_full_inflight_window_is_reported_not_queued()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort a, b, c;
            ClientHarness.Publish(_client, "t", "1", 1, false, out a);
            ClientHarness.Publish(_client, "t", "2", 2, false, out b);
            ClientHarness.Take(_client);
            Assert.AreEqual(ClientResult.InflightFull, ClientHarness.Publish(_client, "t", "3", 1, false, out c));
            Assert.AreEqual(0, _client.TransmitCount);
            // QoS 0 needs no slot.
            Assert.AreEqual(ClientResult.Ok, ClientHarness.Publish(_client, "t", "4", 0, false, out c));
        }

        [TestMethod]
        public void Packet_ids_in_flight_are_never_handed_out_again()
        {
            Fresh(3);
            // 65,540 acknowledgements: keep the recorder bounded, as the board's heap is (see ClientRecorder).
            _rec.KeepLast = 4;
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort[] held = new ushort[3];
            for (int i = 0; i < 3; i++)
            {
                ClientHarness.Publish(_client, "t", "x", 1, false, out held[i]);
            }

            // Free the middle one and cycle through the whole id space on that single slot: the ids the other
            // two slots hold (and 0) must never come back while they are in flight.
            byte[] ack = new byte[] { 0x40, 2, 0, 0 };
            for (int round = 0; round < 65540; round++)
            {
                _client.Sent(_client.TransmitCount);
                ack[2] = (byte)(held[1] >> 8);
                ack[3] = (byte)held[1];
                ClientHarness.Feed(_client, ack, round);
                ushort next;
                Assert.AreEqual(ClientResult.Ok, ClientHarness.Publish(_client, "t", "x", 1, false, out next));
                Assert.IsTrue(next != 0 && next != held[0] && next != held[2], "id " + next + " reused");
                held[1] = next;
            }

            // Every round's acknowledgement reached the application (connack + one "finished" per round), the last
            // one for the id freed in the last round.
            Assert.AreEqual(1 + 65540, _rec.Count);
            Assert.AreEqual(4, _rec.Events.Count);
        }

        [TestMethod]
        public void Publish_topic_with_a_wildcard_or_empty_is_rejected()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            Assert.AreEqual(ClientResult.InvalidTopic, ClientHarness.Publish(_client, "a/+", "x", 0, false, out id));
            Assert.AreEqual(ClientResult.InvalidTopic, ClientHarness.Publish(_client, "a/#", "x", 0, false, out id));
            Assert.AreEqual(ClientResult.InvalidTopic, ClientHarness.Publish(_client, "", "x", 0, false, out id));
            Assert.AreEqual(ClientResult.InvalidQos, ClientHarness.Publish(_client, "a", "x", 3, false, out id));
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Publish_too_large_for_the_buffers_is_rejected_and_a_full_buffer_waits()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            byte[] t = ClientHarness.Bytes("t");
            ushort id;
            // 128-byte in-flight slots: a QoS 1 packet of 200 bytes cannot be kept for redelivery.
            Assert.AreEqual(ClientResult.TooLarge, _client.Publish(t, 0, 1, new byte[200], 0, 190, 1, false, out id));
            Assert.AreEqual(ClientResult.TooLarge, _client.Publish(t, 0, 1, new byte[300], 0, 300, 0, false, out id));
            Assert.AreEqual(ClientResult.Ok, _client.Publish(t, 0, 1, new byte[200], 0, 200, 0, false, out id));
            Assert.AreEqual(ClientResult.TransmitBufferFull, _client.Publish(t, 0, 1, new byte[200], 0, 200, 0, false, out id));
            ClientHarness.Take(_client);
            Assert.AreEqual(ClientResult.Ok, _client.Publish(t, 0, 1, new byte[200], 0, 200, 0, false, out id));
        }

        [TestMethod]
        public void Sent_keeps_the_unsent_tail_in_order()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 0, false, out id);
            _client.Sent(4);
            CollectionAssert.AreEqual(new byte[] { (byte)'t', (byte)'x' }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Idle_keepalive_period_sends_PINGREQ_and_a_missing_PINGRESP_closes()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 10, ClientHarness.Connack0, 0);
            _client.Tick(9999);
            Assert.AreEqual(0, _client.TransmitCount);
            _client.Tick(10000);
            CollectionAssert.AreEqual(new byte[] { 0xC0, 0 }, ClientHarness.Take(_client));
            _client.Tick(15000);
            Assert.AreEqual(0, _client.TransmitCount);
            _client.Tick(20000);
            Assert.AreEqual("connack 0|closed KeepAliveTimeout", _rec.Joined());
            Assert.AreEqual(ClientState.Disconnected, _client.State);
        }

        [TestMethod]
        public void PINGRESP_answers_the_ping_and_sending_postpones_the_next()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 10, ClientHarness.Connack0, 0);
            _client.Tick(10000);
            ClientHarness.Take(_client);
            ClientHarness.Feed(_client, new byte[] { 0xD0, 0 }, 10500);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 0, false, out id);
            ClientHarness.Take(_client);
            _client.Tick(20000);
            Assert.AreEqual(0, _client.TransmitCount);
            _client.Tick(20500);
            CollectionAssert.AreEqual(new byte[] { 0xC0, 0 }, ClientHarness.Take(_client));
            Assert.AreEqual("connack 0", _rec.Joined());
        }

        [TestMethod]
        public void Keepalive_0_never_pings()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 0, ClientHarness.Connack0, 0);
            _client.Tick(100000000);
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Disconnect_queues_DISCONNECT_and_ends_the_connection()
        {
            Fresh(2);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            Assert.AreEqual(ClientResult.Ok, _client.Disconnect());
            CollectionAssert.AreEqual(new byte[] { 0xE0, 0 }, ClientHarness.Take(_client));
            Assert.AreEqual(ClientState.Disconnected, _client.State);
            Assert.AreEqual(ClientResult.WrongState, _client.Disconnect());
        }

        [TestMethod]
        public void Trace_reports_every_packet_both_ways()
        {
            Fresh(2);
            _client.TraceEnabled = true;
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 1, false, out id);
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Puback, id), 1);
            string s = "";
            for (int i = 0; i < _rec.Traces.Count; i++)
            {
                s += (string)_rec.Traces[i] + ";";
            }

            Assert.AreEqual("out 1/15;in 2/4;out 3/8;in 4/4;", s);
        }
    }
}
