using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class ConnectPacketTests
    {
        private const string Mqtt = "0004 4d515454";
        private const string MqIsdp = "0006 4d5149736470";

        [TestMethod]
        [DataRow(Vectors.SpecConnect311, 4)]
        [DataRow(Vectors.SpecConnect31, 3)]
        public void Spec_example_decodes_field_by_field(string hex, int level)
        {
            byte[] p = Bytes.Hex(hex);
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)level, v.ProtocolLevel);
            // Flags CE: user name, password, will QoS 1, will, clean session; will retain 0.
            Assert.IsTrue(v.CleanSession);
            Assert.IsTrue(v.HasWill);
            Assert.AreEqual((byte)1, v.WillQos);
            Assert.IsFalse(v.WillRetain);
            Assert.IsTrue(v.HasUsername);
            Assert.IsTrue(v.HasPassword);
            Assert.AreEqual((ushort)10, v.KeepAlive);
            Assert.AreEqual("c", Bytes.Text(p, v.ClientIdOffset, v.ClientIdLength));
            Assert.AreEqual("w", Bytes.Text(p, v.WillTopicOffset, v.WillTopicLength));
            Assert.AreEqual("m", Bytes.Text(p, v.WillMessageOffset, v.WillMessageLength));
            Assert.AreEqual("u", Bytes.Text(p, v.UsernameOffset, v.UsernameLength));
            Assert.AreEqual("p", Bytes.Text(p, v.PasswordOffset, v.PasswordLength));
        }

        [TestMethod]
        [DataRow(Vectors.M31ConnectFull, 3, "sub-mqttv31", "will/mqttv31")]
        [DataRow(Vectors.M311ConnectFull, 4, "sub-mqttv311", "will/mqttv311")]
        public void Mosquitto_connect_with_will_and_credentials_decodes(string hex, int level, string clientId, string willTopic)
        {
            byte[] p = Bytes.Hex(hex);
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)level, v.ProtocolLevel);
            Assert.IsFalse(v.CleanSession);
            Assert.AreEqual((ushort)60, v.KeepAlive);
            Assert.AreEqual(clientId, Bytes.Text(p, v.ClientIdOffset, v.ClientIdLength));
            Assert.IsTrue(v.HasWill);
            Assert.AreEqual((byte)1, v.WillQos);
            Assert.IsTrue(v.WillRetain);
            Assert.AreEqual(willTopic, Bytes.Text(p, v.WillTopicOffset, v.WillTopicLength));
            Assert.AreEqual("bye", Bytes.Text(p, v.WillMessageOffset, v.WillMessageLength));
            Assert.AreEqual("user", Bytes.Text(p, v.UsernameOffset, v.UsernameLength));
            Assert.AreEqual("pass", Bytes.Text(p, v.PasswordOffset, v.PasswordLength));
        }

        [TestMethod]
        [DataRow(Vectors.M31ConnectPlain, 3, "pub0-mqttv31")]
        [DataRow(Vectors.M311ConnectPlain, 4, "pub0-mqttv311")]
        public void Mosquitto_plain_connect_decodes(string hex, int level, string clientId)
        {
            byte[] p = Bytes.Hex(hex);
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)level, v.ProtocolLevel);
            Assert.IsTrue(v.CleanSession);
            Assert.IsFalse(v.HasWill);
            Assert.IsFalse(v.HasUsername);
            Assert.IsFalse(v.HasPassword);
            Assert.AreEqual(clientId, Bytes.Text(p, v.ClientIdOffset, v.ClientIdLength));
        }

        [TestMethod]
        [DataRow(Vectors.SpecConnect311)]
        [DataRow(Vectors.SpecConnect31)]
        [DataRow(Vectors.M31ConnectFull)]
        [DataRow(Vectors.M31ConnectPlain)]
        [DataRow(Vectors.M311ConnectFull)]
        [DataRow(Vectors.M311ConnectPlain)]
        public void Decoded_connect_encodes_to_the_same_bytes(string hex)
        {
            byte[] p = Bytes.Hex(hex);
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            byte[] dst = new byte[p.Length + 8];
            int n = ConnectPacket.Encode(dst, 5, dst.Length - 5, v, p);
            Frames.AssertWritten(hex, dst, 5, n);
        }

        [TestMethod]
        public void Connect_built_from_fields_matches_mosquitto_bytes()
        {
            // The fields live in one scratch buffer, as a client would lay them out.
            byte[] src = Bytes.Ascii("sub-mqttv311will/mqttv311byeuserpass");
            ConnectView v = new ConnectView();
            v.ProtocolLevel = ProtocolLevel.V311;
            v.KeepAlive = 60;
            v.ClientIdOffset = 0;
            v.ClientIdLength = 12;
            v.HasWill = true;
            v.WillQos = 1;
            v.WillRetain = true;
            v.WillTopicOffset = 12;
            v.WillTopicLength = 13;
            v.WillMessageOffset = 25;
            v.WillMessageLength = 3;
            v.HasUsername = true;
            v.UsernameOffset = 28;
            v.UsernameLength = 4;
            v.HasPassword = true;
            v.PasswordOffset = 32;
            v.PasswordLength = 4;
            byte[] dst = new byte[64];
            int n = ConnectPacket.Encode(dst, 0, dst.Length, v, src);
            Frames.AssertWritten(Vectors.M311ConnectFull, dst, 0, n);
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] p = Bytes.Hex(Vectors.M31ConnectFull);
            ConnectView v = new ConnectView();
            ConnectPacket.Decode(p, 0, Frames.Header(p), v);
            byte[] dst = Bytes.Filled(p.Length, 0xAA);
            Assert.AreEqual(-p.Length, ConnectPacket.Encode(dst, 1, p.Length - 1, v, p));
            Frames.AssertUntouched(dst, 0xAA);
            Assert.AreEqual(p.Length, ConnectPacket.Encode(dst, 0, p.Length, v, p));
        }

        [TestMethod]
        public void Encode_rejects_an_unknown_level()
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () =>
            {
                ConnectView v = new ConnectView();
                v.ProtocolLevel = 5;
                ConnectPacket.Encode(new byte[64], 0, 64, v, new byte[0]);
            });
        }

        [TestMethod]
        public void Connect_with_unknown_protocol_name_is_rejected()
        {
            Assert.AreEqual(DecodeResult.UnknownProtocolName, Decode("0004 4d515458", "04", "02", "0000"));
            Assert.AreEqual(DecodeResult.UnknownProtocolName, Decode("0004 6d717474", "04", "02", "0000"));
            Assert.AreEqual(DecodeResult.UnknownProtocolName, Decode("0006 4d5149736479", "03", "02", "0000"));
            Assert.AreEqual(DecodeResult.UnknownProtocolName, Decode("0000", "04", "02", "0000"));
        }

        // [MQTT-3.1.2-2]: a known name with a level we do not speak must still be recognised, for CONNACK 1.
        [TestMethod]
        [DataRow(Mqtt, 3)]
        [DataRow(Mqtt, 5)]
        [DataRow(Mqtt, 0)]
        [DataRow(MqIsdp, 4)]
        [DataRow(MqIsdp, 2)]
        public void Connect_with_unknown_protocol_level_is_recognised(string name, int level)
        {
            byte[] p = Build(name, ToHex(level), "02", "0000");
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.UnknownProtocolLevel, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)level, v.ProtocolLevel);
        }

        [TestMethod]
        public void Mqtt5_connect_is_an_unknown_level_not_a_malformed_packet()
        {
            // MQTT 5 adds properties (here a 0-length property block) after the keep alive.
            byte[] p = Bytes.Hex("10 10 0004 4d515454 05 02 003c 00 0003 616263");
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.UnknownProtocolLevel, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)5, v.ProtocolLevel);
        }

        [TestMethod]
        public void Connect_reserved_flag_is_rejected_in_311_only()
        {
            Assert.AreEqual(DecodeResult.ConnectReservedFlag, Decode(Mqtt, "04", "03", "0001 61"));
            Assert.AreEqual(DecodeResult.Ok, Decode(MqIsdp, "03", "03", "0001 61"));
        }

        [TestMethod]
        [DataRow("08")]   // will QoS 1
        [DataRow("10")]   // will QoS 2
        [DataRow("18")]   // will QoS 3
        [DataRow("20")]   // will retain
        [DataRow("28")]
        public void Will_qos_or_retain_without_will_flag_is_rejected(string flags)
        {
            Assert.AreEqual(DecodeResult.WillFlagsWithoutWill, Decode(Mqtt, "04", flags, "0001 61"));
            Assert.AreEqual(DecodeResult.WillFlagsWithoutWill, Decode(MqIsdp, "03", flags, "0001 61"));
        }

        [TestMethod]
        public void Will_qos_3_is_rejected()
        {
            Assert.AreEqual(DecodeResult.InvalidWillQos, Decode(Mqtt, "04", "1c", "0001 61 0001 77 0000"));
            Assert.AreEqual(DecodeResult.InvalidWillQos, Decode(MqIsdp, "03", "1c", "0001 61 0001 77 0000"));
            Assert.AreEqual(DecodeResult.Ok, Decode(Mqtt, "04", "14", "0001 61 0001 77 0000"));
        }

        [TestMethod]
        public void Password_without_username_is_rejected_in_311_only()
        {
            Assert.AreEqual(DecodeResult.PasswordWithoutUsername, Decode(Mqtt, "04", "42", "0001 61 0002 7077"));
            ConnectView v = new ConnectView();
            byte[] p = Build(MqIsdp, "03", "42", "0001 61 0002 7077");
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.IsFalse(v.HasUsername);
            Assert.AreEqual("pw", Bytes.Text(p, v.PasswordOffset, v.PasswordLength));
        }

        [TestMethod]
        public void Connect_header_flags_must_be_zero()
        {
            byte[] p = Build(Mqtt, "04", "02", "0001 61");
            p[0] = 0x12;
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.InvalidHeaderFlags, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
        }

        [TestMethod]
        [DataRow("0002 6100", 0)]
        [DataRow("0002 c080", 1)]
        [DataRow("0003 eda080", 2)]
        public void Client_id_must_be_mqtt_utf8(string clientId, int kind)
        {
            Assert.AreEqual(Utf8Result(kind), Decode(Mqtt, "04", "02", clientId));
            Assert.AreEqual(Utf8Result(kind), Decode(MqIsdp, "03", "02", clientId));
        }

        [TestMethod]
        [DataRow("0002 6100", 0)]
        [DataRow("0002 c080", 1)]
        [DataRow("0003 eda080", 2)]
        public void Will_topic_must_be_mqtt_utf8(string willTopic, int kind)
        {
            Assert.AreEqual(Utf8Result(kind), Decode(Mqtt, "04", "06", "0001 61 " + willTopic + " 0000"));
        }

        [TestMethod]
        [DataRow("0002 6100", 0)]
        [DataRow("0002 c080", 1)]
        [DataRow("0003 eda080", 2)]
        public void Username_must_be_mqtt_utf8(string username, int kind)
        {
            Assert.AreEqual(Utf8Result(kind), Decode(Mqtt, "04", "82", "0001 61 " + username));
        }

        [TestMethod]
        public void Will_topic_must_be_a_topic_name()
        {
            Assert.AreEqual(DecodeResult.WildcardInTopicName, Decode(Mqtt, "04", "06", "0001 61 0003 612f23 0000"));
            Assert.AreEqual(DecodeResult.WildcardInTopicName, Decode(Mqtt, "04", "06", "0001 61 0001 2b 0000"));
            Assert.AreEqual(DecodeResult.EmptyTopic, Decode(Mqtt, "04", "06", "0001 61 0000 0000"));
        }

        [TestMethod]
        public void Password_and_will_message_are_binary()
        {
            Assert.AreEqual(DecodeResult.Ok, Decode(Mqtt, "04", "c6", "0001 61 0001 77 0003 00ffed 0001 75 0004 00c0eda0"));
        }

        [TestMethod]
        [DataRow("06", "0001 61")]                  // will flag, no will topic
        [DataRow("06", "0001 61 0001 77")]          // will topic, no will message
        [DataRow("82", "0001 61")]                  // user name flag, no user name
        [DataRow("c2", "0001 61 0001 75")]          // password flag, no password
        [DataRow("c2", "0001 61 0001 75 0005 7077")] // password shorter than its length
        [DataRow("02", "")]                          // no client id at all
        [DataRow("02", "00")]                        // half a length prefix
        [DataRow("02", "0001 61 00")]                // a byte left over
        [DataRow("02", "0001 61 0001 75")]           // a user name without its flag
        public void Remaining_length_disagreeing_with_connect_fields_is_rejected(string flags, string payload)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Decode(Mqtt, "04", flags, payload));
        }

        [TestMethod]
        public void Truncated_variable_header_is_a_length_mismatch()
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate("10 01 00"));
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate("10 05 0004 4d5154"));
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate("10 06 0004 4d515454"));
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate("10 09 0004 4d515454 04 02 00"));
        }

        [TestMethod]
        public void Client_id_policy_follows_each_version()
        {
            Assert.AreEqual(ConnectReturnCode.Accepted, ClientIdVerdict(Mqtt, "04", "02", "0000"));
            Assert.AreEqual(ConnectReturnCode.IdentifierRejected, ClientIdVerdict(Mqtt, "04", "00", "0000"));
            Assert.AreEqual(ConnectReturnCode.Accepted, ClientIdVerdict(Mqtt, "04", "00", "0001 61"));
            Assert.AreEqual(ConnectReturnCode.IdentifierRejected, ClientIdVerdict(MqIsdp, "03", "02", "0000"));
            // 23 characters pass in 3.1, 24 do not; characters, not bytes (each e-acute is 2 bytes).
            Assert.AreEqual(ConnectReturnCode.Accepted, ClientIdVerdict(MqIsdp, "03", "02", "0017 3132333435363738393031323334353637383930313233"));
            Assert.AreEqual(ConnectReturnCode.IdentifierRejected, ClientIdVerdict(MqIsdp, "03", "02", "0018 313233343536373839303132333435363738393031323334"));
            Assert.AreEqual(ConnectReturnCode.Accepted, ClientIdVerdict(MqIsdp, "03", "02", "0028 c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9c3a9"));
        }

        internal static DecodeResult Utf8Result(int kind)
        {
            return kind == 0 ? DecodeResult.Utf8NullCharacter : kind == 1 ? DecodeResult.InvalidUtf8 : DecodeResult.Utf8Surrogate;
        }

        private static byte ClientIdVerdict(string name, string level, string flags, string payload)
        {
            byte[] p = Build(name, level, flags, payload);
            ConnectView v = new ConnectView();
            Assert.AreEqual(DecodeResult.Ok, ConnectPacket.Decode(p, 0, Frames.Header(p), v));
            return ConnectPacket.CheckClientId(p, v);
        }

        private static DecodeResult Decode(string name, string level, string flags, string payload)
        {
            byte[] p = Build(name, level, flags, payload);
            ConnectView v = new ConnectView();
            return ConnectPacket.Decode(p, 0, Frames.Header(p), v);
        }

        /// <summary>A CONNECT with keep alive 60 whose remaining length is computed from the given fields.</summary>
        private static byte[] Build(string name, string level, string flags, string payload)
        {
            byte[] body = Bytes.Hex(name + level + flags + "003c" + payload);
            return Bytes.Concat(Bytes.Hex("10" + ToHex(body.Length)), body);
        }

        private static string ToHex(int b)
        {
            return Bytes.ToHex(new byte[] { (byte)b }, 0, 1);
        }
    }
}
