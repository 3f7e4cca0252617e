using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class MqttClientSubscriptionsTests
    {
        private static ClientRecorder _rec;
        private static MqttClient _client;

        private static void Connected(int window)
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, window);
            ClientHarness.Connect(_client, "c", true, 60, ClientHarness.Connack0, 0);
            _rec.Events.Clear();
        }

        [TestMethod]
        public void Subscribe_sends_one_SUBSCRIBE_with_flags_0010_and_reports_the_SUBACK_codes()
        {
            Connected(2);
            ushort id;
            byte[][] filters = new byte[][] { ClientHarness.Bytes("a/#"), ClientHarness.Bytes("+/b") };
            Assert.AreEqual(ClientResult.Ok, _client.Subscribe(filters, new byte[] { 2, 1 }, 2, out id));
            Assert.AreEqual((ushort)1, id);
            CollectionAssert.AreEqual(new byte[]
            {
                0x82, 14, 0, 1, 0, 3, (byte)'a', (byte)'/', (byte)'#', 2, 0, 3, (byte)'+', (byte)'/', (byte)'b', 1
            }, ClientHarness.Take(_client));

            ClientHarness.Feed(_client, new byte[] { 0x90, 4, 0, 1, 2, 0x80 }, 1);
            Assert.AreEqual("suback 1: 2 128", _rec.Joined());
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void A_SUBACK_with_the_wrong_number_of_codes_closes_the_connection()
        {
            Connected(2);
            ushort id;
            _client.Subscribe(new byte[][] { ClientHarness.Bytes("a"), ClientHarness.Bytes("b") }, new byte[] { 0, 0 }, 2, out id);
            ClientHarness.Feed(_client, new byte[] { 0x90, 3, 0, 1, 0 }, 1);
            Assert.AreEqual("closed UnexpectedPacket", _rec.Joined());
        }

        [TestMethod]
        public void Malformed_filters_and_qos_3_are_rejected_before_anything_is_sent()
        {
            Connected(2);
            ushort id;
            Assert.AreEqual(ClientResult.InvalidTopic, _client.Subscribe(new byte[][] { ClientHarness.Bytes("a/#/b") }, new byte[] { 0 }, 1, out id));
            Assert.AreEqual(ClientResult.InvalidTopic, _client.Subscribe(new byte[][] { ClientHarness.Bytes("a+") }, new byte[] { 0 }, 1, out id));
            Assert.AreEqual(ClientResult.InvalidTopic, _client.Subscribe(new byte[][] { new byte[0] }, new byte[] { 0 }, 1, out id));
            Assert.AreEqual(ClientResult.InvalidQos, _client.Subscribe(new byte[][] { ClientHarness.Bytes("a") }, new byte[] { 3 }, 1, out id));
            Assert.AreEqual(ClientResult.InvalidArgument, _client.Subscribe(new byte[][] { ClientHarness.Bytes("a") }, new byte[] { 0 }, 0, out id));
            Assert.AreEqual(ClientResult.InvalidTopic, _client.Unsubscribe(new byte[][] { ClientHarness.Bytes("#/a") }, 1, out id));
            Assert.AreEqual(0, _client.TransmitCount);
            Assert.AreEqual(0, _client.InflightCount);
        }

        [TestMethod]
        public void Unsubscribe_sends_flags_0010_and_reports_the_UNSUBACK()
        {
            Connected(2);
            ushort id;
            Assert.AreEqual(ClientResult.Ok, _client.Unsubscribe(new byte[][] { ClientHarness.Bytes("a/+") }, 1, out id));
            CollectionAssert.AreEqual(new byte[] { 0xA2, 7, 0, 1, 0, 3, (byte)'a', (byte)'/', (byte)'+' }, ClientHarness.Take(_client));
            ClientHarness.Feed(_client, ClientHarness.Ack(PacketType.Unsuback, id), 1);
            Assert.AreEqual("unsuback 1", _rec.Joined());
        }

        [TestMethod]
        public void Subscriptions_share_the_inflight_window_and_its_packet_ids()
        {
            Connected(2);
            ushort a, b, c;
            ClientHarness.Publish(_client, "t", "x", 1, false, out a);
            Assert.AreEqual(ClientResult.Ok, _client.Subscribe(new byte[][] { ClientHarness.Bytes("s") }, new byte[] { 0 }, 1, out b));
            Assert.AreNotEqual(a, b);
            Assert.AreEqual(ClientResult.InflightFull, _client.Unsubscribe(new byte[][] { ClientHarness.Bytes("s") }, 1, out c));
        }

        [TestMethod]
        public void A_lost_connection_forgets_pending_SUBSCRIBEs_but_keeps_publishes()
        {
            _rec = new ClientRecorder();
            _client = ClientHarness.New(_rec, 2);
            ClientHarness.Connect(_client, "p", false, 60, ClientHarness.Connack0, 0);
            ushort a, b;
            ClientHarness.Publish(_client, "t", "x", 1, false, out a);
            _client.Subscribe(new byte[][] { ClientHarness.Bytes("s") }, new byte[] { 0 }, 1, out b);
            Assert.AreEqual(2, _client.InflightCount);
            _client.ConnectionLost();
            Assert.AreEqual(1, _client.InflightCount);
        }
    }
}
