using Device.Client;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class ConnectOptionsTests
    {
        [TestMethod]
        public void Build_packs_every_field_into_one_buffer_the_view_indexes()
        {
            ConnectOptions o = new ConnectOptions();
            o.ClientId = "id";
            o.WillTopic = "wé";
            o.WillPayload = new byte[] { 1, 2 };
            o.WillQos = 2;
            o.Username = "u";
            o.Password = new byte[0];
            ConnectView v = new ConnectView();
            byte[] data = o.Build(v);

            Assert.AreEqual("id", Utf8.Decode(data, v.ClientIdOffset, v.ClientIdLength));
            Assert.AreEqual("wé", Utf8.Decode(data, v.WillTopicOffset, v.WillTopicLength));
            Assert.AreEqual(3, v.WillTopicLength);
            Assert.AreEqual(2, v.WillMessageLength);
            Assert.AreEqual((byte)2, data[v.WillMessageOffset + 1]);
            Assert.AreEqual("u", Utf8.Decode(data, v.UsernameOffset, v.UsernameLength));
            Assert.IsTrue(v.HasWill && v.HasUsername && v.HasPassword);
            Assert.AreEqual(0, v.PasswordLength);
            Assert.AreEqual((byte)2, v.WillQos);
            Assert.AreEqual(ProtocolLevel.V311, v.ProtocolLevel);
        }

        [TestMethod]
        public void Will_flags_are_not_set_without_a_will_topic()
        {
            ConnectOptions o = new ConnectOptions();
            o.WillQos = 1;
            o.WillRetain = true;
            ConnectView v = new ConnectView();
            o.Build(v);
            Assert.IsFalse(v.HasWill);
            Assert.AreEqual((byte)0, v.WillQos);
            Assert.IsFalse(v.WillRetain);
            Assert.IsFalse(v.HasUsername);
            Assert.IsFalse(v.HasPassword);
        }

        [TestMethod]
        public void Encoded_CONNECT_decodes_back_to_the_same_fields()
        {
            ConnectOptions o = new ConnectOptions();
            o.ClientId = "abc";
            o.CleanSession = false;
            o.KeepAliveSeconds = 300;
            o.WillTopic = "will/t";
            o.WillPayload = ClientHarness.Bytes("bye");
            o.WillRetain = true;
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);
            MqttClient c = ClientHarness.New(new ClientRecorder(), 1);
            c.Connect(v, src, 0);
            byte[] wire = ClientHarness.Take(c);

            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(wire, 0, wire.Length, 0, h));
            ConnectView d = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(wire, 0, h, d));
            Assert.AreEqual("abc", Utf8.Decode(wire, d.ClientIdOffset, d.ClientIdLength));
            Assert.IsFalse(d.CleanSession);
            Assert.AreEqual((ushort)300, d.KeepAlive);
            Assert.AreEqual("will/t", Utf8.Decode(wire, d.WillTopicOffset, d.WillTopicLength));
            Assert.AreEqual("bye", Utf8.Decode(wire, d.WillMessageOffset, d.WillMessageLength));
            Assert.IsTrue(d.WillRetain);
        }

        [TestMethod]
        public void A_will_topic_with_a_wildcard_is_refused_by_Connect()
        {
            ConnectOptions o = new ConnectOptions();
            o.WillTopic = "w/#";
            ConnectView v = new ConnectView();
            byte[] src = o.Build(v);
            MqttClient c = ClientHarness.New(new ClientRecorder(), 1);
            Assert.AreEqual(ClientResult.InvalidTopic, c.Connect(v, src, 0));
            Assert.AreEqual(ClientState.Disconnected, c.State);
        }
    }
}
