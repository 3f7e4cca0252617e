using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MqttClientSessionTests
    {
        private static ClientRecorder _rec;
        private static MqttClient _client;

        /// <summary>A persistent session with a QoS 1 publish (id 1) unacknowledged and a QoS 2 one (id 2) past PUBREC.</summary>
        private static void TwoUnfinishedThenConnectionLost()
        {
            TwoUnfinishedThenConnectionLost(false);
        }

        private static void TwoUnfinishedThenConnectionLost(bool republishOnSessionLoss)
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 4);
            _client.RepublishOnSessionLoss = republishOnSessionLoss;
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0, 0);
            ushort a, b;
            ClientHarness.Publish(_client, "t", "1", 1, false, out a);
            ClientHarness.Publish(_client, "t", "2", 2, false, out b);
            ClientHarness.Take(_client);
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubrec, b), 1);
            ClientHarness.Take(_client);
            _client.ConnectionLost();
            _rec.Events.Clear();
        }

        [TestMethod]
        public void Resumed_session_redelivers_PUBLISH_with_DUP_and_PUBREL_in_order()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0SessionPresent, 100);
            CollectionAssert.AreEqual(new byte[]
            {
                0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1',
                0x62, 2, 0, 2
            }, ClientHarness.Take(_client));
            Assert.AreEqual("connack 0 sp", _rec.Joined());

            ClientHarness.Feed(_client, ClientHarness.Concat(ClientHarness.Ack(PacketType.Puback, 1), ClientHarness.Ack(PacketType.Pubcomp, 2)), 200);
            Assert.AreEqual("connack 0 sp|finished 1 acked|finished 2 acked", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Server_without_the_session_makes_the_client_drop_its_own()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0, 100);
            Assert.AreEqual("finished 1 dropped|finished 2 dropped|connack 0", _rec.Joined());
            Assert.AreEqual(0, _client.TransmitCount);
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Lost_session_with_RepublishOnSessionLoss_publishes_both_again_QoS2_from_PUBLISH_none_dropped()
        {
            TwoUnfinishedThenConnectionLost(true);
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0, 100);
            // Oldest first, old ids, DUP set; the QoS 2 one past PUBREC starts again as a PUBLISH, not a PUBREL
            // (the server that sent PUBREC is gone with its state).
            CollectionAssert.AreEqual(new byte[]
            {
                0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1',
                0x3C, 6, 0, 1, (byte)'t', 0, 2, (byte)'2'
            }, ClientHarness.Take(_client));
            Assert.AreEqual("connack 0", _rec.Joined());
            Assert.AreEqual(2, _client.InflightCount);

            ClientHarness.Feed(_client, ClientHarness.Concat(ClientHarness.Ack(PacketType.Puback, 1), ClientHarness.Ack(PacketType.Pubrec, 2)), 200);
            CollectionAssert.AreEqual(new byte[] { 0x62, 2, 0, 2 }, ClientHarness.Take(_client));
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Pubcomp, 2), 300);
            Assert.AreEqual("connack 0|finished 1 acked|finished 2 acked", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Clean_session_reconnect_with_RepublishOnSessionLoss_keeps_and_publishes_the_in_flight_ones()
        {
            TwoUnfinishedThenConnectionLost(true);
            ConnectView v = new ConnectView();
            byte[] src = ClientHarness.BuildOptions("p", true, 60, v);
            _client.Connect(v, src, 100);
            ClientHarness.Take(_client);
            Assert.AreEqual(2, _client.InflightCount);
            ClientHarness.Feed(_client, ClientHarness.Connack0, 100);
            CollectionAssert.AreEqual(new byte[]
            {
                0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1',
                0x3C, 6, 0, 1, (byte)'t', 0, 2, (byte)'2'
            }, ClientHarness.Take(_client));
            Assert.AreEqual("connack 0", _rec.Joined());
        }

        [TestMethod]
        public void Clean_session_connect_drops_the_previous_session()
        {
            TwoUnfinishedThenConnectionLost();
            ConnectView v = new ConnectView();
            byte[] src = ClientHarness.BuildOptions("p", true, 60, v);
            _client.Connect(v, src, 100);
            Assert.AreEqual("finished 1 dropped|finished 2 dropped", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void A_3_1_persistent_session_is_resumed_without_a_session_present_flag()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            ConnectOptions o = new ConnectOptions();
            o.ProtocolLevel = ProtocolLevel.V31;
            o.ClientId = "p";
            o.CleanSession = false;
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);
            _client.Connect(v, src, 0);
            ClientHarness.Take(_client);
            ClientHarness.Feed(_client, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "1", 1, false, out id);
            ClientHarness.Take(_client);
            _client.ConnectionLost();

            _client.Connect(v, src, 10);
            ClientHarness.Take(_client);
            ClientHarness.Feed(_client, ClientHarness.Connack0, 10);
            CollectionAssert.AreEqual(new byte[] { 0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1' }, ClientHarness.Take(_client));
        }

        [TestMethod]
        public void Packet_ids_of_redelivered_publishes_stay_reserved()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0SessionPresent, 100);
            ClientHarness.Take(_client);
            ushort id;
            ClientHarness.Publish(_client, "t", "3", 1, false, out id);
            Assert.AreEqual((ushort)3, id);
        }

        [TestMethod]
        public void Retry_interval_resends_an_unacknowledged_publish_with_DUP()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            _client.RetryIntervalMs = 5000;
            ClientHarness.Connect(_client, "c", true, 0, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 1, false, out id);
            ClientHarness.Take(_client);
            _client.Tick(4999);
            Assert.AreEqual(0, _client.TransmitCount);
            _client.Tick(5000);
            CollectionAssert.AreEqual(new byte[] { 0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'x' }, ClientHarness.Take(_client));
            _client.Tick(9999);
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Without_a_retry_interval_nothing_is_resent_on_the_same_connection()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            ClientHarness.Connect(_client, "c", true, 0, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(_client, "t", "x", 1, false, out id);
            ClientHarness.Take(_client);
            _client.Tick(1000000);
            Assert.AreEqual(0, _client.TransmitCount);
        }

        [TestMethod]
        public void Inbound_qos2_ids_survive_a_reconnect_of_a_persistent_session()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0, 0);
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 2, false, 4), 1);
            _client.ConnectionLost();
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0SessionPresent, 2);
            // The server did not get our PUBREC and sends the PUBLISH again: acknowledged, not delivered twice.
            ClientHarness.Feed(_client, ClientHarness.ServerPublish("t", "x", 2, true, 4), 3);
            Assert.AreEqual("connack 0|msg t=x q2|connack 0 sp", _rec.Joined());
            CollectionAssert.AreEqual(new byte[] { 0x50, 2, 0, 4 }, ClientHarness.Take(_client));
        }
    }
}
