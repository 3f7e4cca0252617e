using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MqttClientSessionTests
    {
        private static ClientRecorder rec;
        private static MqttClient client;

        /// <summary>A persistent session with a QoS 1 publish (id 1) unacknowledged and a QoS 2 one (id 2) past PUBREC.</summary>
        private static void TwoUnfinishedThenConnectionLost()
        {
            rec = new ClientRecorder();
            client = ClientHarness.New(rec, 4);
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0, 0);
            ushort a, b;
            ClientHarness.Publish(client, "t", "1", 1, false, out a);
            ClientHarness.Publish(client, "t", "2", 2, false, out b);
            ClientHarness.Take(client);
            ClientHarness.Feed(client, ClientHarness.Ack(PacketType.Pubrec, b), 1);
            ClientHarness.Take(client);
            client.ConnectionLost();
            rec.Events.Clear();
        }

        [TestMethod]
        public void Resumed_session_redelivers_PUBLISH_with_DUP_and_PUBREL_in_order()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0SessionPresent, 100);
            CollectionAssert.AreEqual(new byte[]
            {
                0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1',
                0x62, 2, 0, 2
            }, ClientHarness.Take(client));
            Assert.AreEqual("connack 0 sp", rec.Joined());

            ClientHarness.Feed(client, ClientHarness.Concat(ClientHarness.Ack(PacketType.Puback, 1), ClientHarness.Ack(PacketType.Pubcomp, 2)), 200);
            Assert.AreEqual("connack 0 sp|finished 1 acked|finished 2 acked", rec.Joined());
            Assert.AreEqual(0, client.InflightCount);
        }

        [TestMethod]
        public void Server_without_the_session_makes_the_client_drop_its_own()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0, 100);
            Assert.AreEqual("finished 1 dropped|finished 2 dropped|connack 0", rec.Joined());
            Assert.AreEqual(0, client.TransmitCount);
            Assert.AreEqual(0, client.InflightCount);
        }

        [TestMethod]
        public void Clean_session_connect_drops_the_previous_session()
        {
            TwoUnfinishedThenConnectionLost();
            ConnectView v = new ConnectView();
            byte[] src = ClientHarness.BuildOptions("p", true, 60, v);
            client.Connect(v, src, 100);
            Assert.AreEqual("finished 1 dropped|finished 2 dropped", rec.Joined());
            Assert.AreEqual(0, client.InflightCount);
        }

        [TestMethod]
        public void A_3_1_persistent_session_is_resumed_without_a_session_present_flag()
        {
            rec = new ClientRecorder();
            client = ClientHarness.New(rec, 2);
            ConnectOptions o = new ConnectOptions();
            o.ProtocolLevel = ProtocolLevel.V31;
            o.ClientId = "p";
            o.CleanSession = false;
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);
            client.Connect(v, src, 0);
            ClientHarness.Take(client);
            ClientHarness.Feed(client, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(client, "t", "1", 1, false, out id);
            ClientHarness.Take(client);
            client.ConnectionLost();

            client.Connect(v, src, 10);
            ClientHarness.Take(client);
            ClientHarness.Feed(client, ClientHarness.Connack0, 10);
            CollectionAssert.AreEqual(new byte[] { 0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'1' }, ClientHarness.Take(client));
        }

        [TestMethod]
        public void Packet_ids_of_redelivered_publishes_stay_reserved()
        {
            TwoUnfinishedThenConnectionLost();
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0SessionPresent, 100);
            ClientHarness.Take(client);
            ushort id;
            ClientHarness.Publish(client, "t", "3", 1, false, out id);
            Assert.AreEqual((ushort)3, id);
        }

        [TestMethod]
        public void Retry_interval_resends_an_unacknowledged_publish_with_DUP()
        {
            rec = new ClientRecorder();
            client = ClientHarness.New(rec, 2);
            client.RetryIntervalMs = 5000;
            ClientHarness.Connect(client, "c", true, 0, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(client, "t", "x", 1, false, out id);
            ClientHarness.Take(client);
            client.Tick(4999);
            Assert.AreEqual(0, client.TransmitCount);
            client.Tick(5000);
            CollectionAssert.AreEqual(new byte[] { 0x3A, 6, 0, 1, (byte)'t', 0, 1, (byte)'x' }, ClientHarness.Take(client));
            client.Tick(9999);
            Assert.AreEqual(0, client.TransmitCount);
        }

        [TestMethod]
        public void Without_a_retry_interval_nothing_is_resent_on_the_same_connection()
        {
            rec = new ClientRecorder();
            client = ClientHarness.New(rec, 2);
            ClientHarness.Connect(client, "c", true, 0, ClientHarness.Connack0, 0);
            ushort id;
            ClientHarness.Publish(client, "t", "x", 1, false, out id);
            ClientHarness.Take(client);
            client.Tick(1000000);
            Assert.AreEqual(0, client.TransmitCount);
        }

        [TestMethod]
        public void Inbound_qos2_ids_survive_a_reconnect_of_a_persistent_session()
        {
            rec = new ClientRecorder();
            client = ClientHarness.New(rec, 2);
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0, 0);
            ClientHarness.Feed(client, ClientHarness.ServerPublish("t", "x", 2, false, 4), 1);
            client.ConnectionLost();
            ClientHarness.Connect(client, "p", false, 60, ClientHarness.Connack0SessionPresent, 2);
            // The server did not get our PUBREC and sends the PUBLISH again: acknowledged, not delivered twice.
            ClientHarness.Feed(client, ClientHarness.ServerPublish("t", "x", 2, true, 4), 3);
            Assert.AreEqual("connack 0|msg t=x q2|connack 0 sp", rec.Joined());
            CollectionAssert.AreEqual(new byte[] { 0x50, 2, 0, 4 }, ClientHarness.Take(client));
        }
    }
}
