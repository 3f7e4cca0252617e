using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class PublishPacketTests
    {
        [TestMethod]
        [DataRow(Vectors.SpecPublish, 1, false, false, 10, "a/b", "")]
        [DataRow(Vectors.M31PublishQos0, 0, false, false, 0, "a/b", "hello0")]
        [DataRow(Vectors.M31PublishQos1Retain, 1, false, true, 1, "c/x", "hello1")]
        [DataRow(Vectors.M31PublishQos2, 2, false, false, 1, "d/e/f", "hello2")]
        [DataRow(Vectors.M31PublishRetainClear, 0, false, true, 0, "c/x", "")]
        [DataRow(Vectors.M311PublishQos0, 0, false, false, 0, "a/b", "hello0")]
        [DataRow(Vectors.M311PublishQos1Retain, 1, false, true, 1, "c/x", "hello1")]
        [DataRow(Vectors.M311PublishQos2, 2, false, false, 1, "d/e/f", "hello2")]
        [DataRow("3b0d0003632f78000768656c6c6f31", 1, true, true, 7, "c/x", "hello1")]
        public void Publish_decodes_and_encodes_byte_exact(string hex, int qos, bool dup, bool retain, int packetId, string topic, string payload)
        {
            byte[] p = Bytes.Hex(hex);
            PublishView v = new PublishView();
            Assert.AreEqual(DecodeResult.Ok, PublishPacket.Decode(p, 0, Frames.Header(p), v));
            Assert.AreEqual((byte)qos, v.Qos);
            Assert.AreEqual(dup, v.Dup);
            Assert.AreEqual(retain, v.Retain);
            Assert.AreEqual((ushort)packetId, v.PacketId);
            Assert.AreEqual(topic, Bytes.Text(p, v.TopicOffset, v.TopicLength));
            Assert.AreEqual(payload, Bytes.Text(p, v.PayloadOffset, v.PayloadLength));

            byte[] t = Bytes.Ascii("__" + topic);
            byte[] m = Bytes.Ascii("_" + payload);
            byte[] dst = new byte[p.Length + 3];
            int n = PublishPacket.Encode(dst, 3, p.Length, (byte)qos, dup, retain, (ushort)packetId, t, 2, t.Length - 2, m, 1, m.Length - 1);
            Frames.AssertWritten(hex, dst, 3, n);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(127)]
        [DataRow(128)]
        [DataRow(1024)]
        [DataRow(16380)]
        [DataRow(20000)]
        public void Publish_round_trips_across_remaining_length_sizes(int payloadLength)
        {
            byte[] topic = Bytes.Ascii("sensors/t1");
            byte[] payload = new byte[payloadLength];
            for (int i = 0; i < payloadLength; i++)
            {
                payload[i] = (byte)(i * 7);
            }

            byte[] dst = new byte[payloadLength + 32];
            int n = PublishPacket.Encode(dst, 0, dst.Length, 2, true, false, 65535, topic, 0, topic.Length, payload, 0, payloadLength);
            Assert.AreEqual(Framing.PacketSize(2 + topic.Length + 2 + payloadLength), n);

            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(dst, 0, n, 0, h));
            Assert.AreEqual(n, h.TotalLength);
            PublishView v = new PublishView();
            Assert.AreEqual(DecodeResult.Ok, PublishPacket.Decode(dst, 0, h, v));
            Assert.AreEqual((ushort)65535, v.PacketId);
            Assert.IsTrue(v.Dup);
            Assert.AreEqual(payloadLength, v.PayloadLength);
            Assert.IsTrue(Utf8.Equals(dst, v.PayloadOffset, v.PayloadLength, payload, 0, payloadLength));
            Assert.IsTrue(Utf8.Equals(dst, v.TopicOffset, v.TopicLength, topic, 0, topic.Length));
        }

        [TestMethod]
        public void EncodeHeader_plus_payload_equals_Encode()
        {
            byte[] topic = Bytes.Ascii("d/e/f");
            byte[] payload = Bytes.Ascii("hello2");
            byte[] dst = new byte[32];
            int n = PublishPacket.EncodeHeader(dst, 0, dst.Length, 2, false, false, 1, topic, 0, topic.Length, payload.Length);
            Assert.AreEqual(11, n);
            System.Array.Copy(payload, 0, dst, n, payload.Length);
            Frames.AssertWritten(Vectors.M31PublishQos2, dst, 0, n + payload.Length);
            Assert.AreEqual(-11, PublishPacket.EncodeHeader(dst, 0, 10, 2, false, false, 1, topic, 0, topic.Length, payload.Length));
        }

        [TestMethod]
        public void Encode_into_too_small_a_buffer_reports_the_size_and_writes_nothing()
        {
            byte[] topic = Bytes.Ascii("a/b");
            byte[] dst = Bytes.Filled(12, 0xAA);
            Assert.AreEqual(-13, PublishPacket.Encode(dst, 0, 12, 0, false, false, 0, topic, 0, 3, Bytes.Ascii("hello0"), 0, 6));
            Frames.AssertUntouched(dst, 0xAA);
        }

        [TestMethod]
        public void Encode_drops_dup_on_qos0_and_ignores_the_packet_id()
        {
            byte[] topic = Bytes.Ascii("a/b");
            byte[] dst = new byte[16];
            int n = PublishPacket.Encode(dst, 0, 16, 0, true, false, 9, topic, 0, 3, Bytes.Ascii("hello0"), 0, 6);
            Frames.AssertWritten(Vectors.M31PublishQos0, dst, 0, n);
        }

        [TestMethod]
        public void Encode_rejects_qos_3_and_a_missing_packet_id()
        {
            byte[] t = Bytes.Ascii("a");
            Assert.ThrowsException(typeof(System.ArgumentException), () => PublishPacket.Encode(new byte[16], 0, 16, 3, false, false, 1, t, 0, 1, t, 0, 0));
            Assert.ThrowsException(typeof(System.ArgumentException), () => PublishPacket.Encode(new byte[16], 0, 16, 1, false, false, 0, t, 0, 1, t, 0, 0));
        }

        [TestMethod]
        [DataRow("36 07 0003 612f62 000a")]
        [DataRow("37 07 0003 612f62 000a")]
        [DataRow("3e 07 0003 612f62 000a")]
        public void Publish_with_qos_3_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.InvalidQos, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("38 05 0003 612f62")]
        [DataRow("39 06 0003 612f62 ff")]
        public void Publish_with_dup_on_qos0_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.DupOnQos0, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("32 07 0003 612f62 0000")]
        [DataRow("34 07 0003 612f62 0000")]
        [DataRow("3c 09 0003 612f62 0000 6869")]
        public void Publish_qos1_or_2_with_packet_id_0_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.ZeroPacketId, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("30 05 0003 612f2b")]
        [DataRow("30 05 0003 612f23")]
        [DataRow("30 03 0001 23")]
        [DataRow("32 07 0003 2b2f62 0001")]
        [DataRow("30 05 0003 61 2b 62")]
        public void Publish_with_wildcard_topic_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.WildcardInTopicName, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("30 02 0000")]
        [DataRow("30 04 0000 6869")]
        [DataRow("32 04 0000 0001")]
        public void Publish_with_empty_topic_is_rejected(string hex)
        {
            Assert.AreEqual(DecodeResult.EmptyTopic, Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("30 04 0002 6100", 0)]
        [DataRow("30 04 0002 c0af", 1)]
        [DataRow("30 05 0003 edbfbf", 2)]
        public void Publish_topic_must_be_mqtt_utf8(string hex, int kind)
        {
            Assert.AreEqual(ConnectPacketTests.Utf8Result(kind), Frames.Validate(hex));
        }

        [TestMethod]
        [DataRow("30 00")]                 // no topic length
        [DataRow("30 01 00")]              // half a topic length
        [DataRow("30 04 0003 612f")]       // topic longer than the packet
        [DataRow("32 05 0003 612f62")]     // QoS 1 without a packet id
        [DataRow("32 06 0003 612f62 00")]  // QoS 1 with half a packet id
        public void Publish_shorter_than_its_fields_is_a_length_mismatch(string hex)
        {
            Assert.AreEqual(DecodeResult.LengthMismatch, Frames.Validate(hex));
        }

        [TestMethod]
        public void Publish_payload_may_hold_anything()
        {
            // The payload is application data: NUL, ill-formed UTF-8 and wildcards are all fine there.
            Assert.AreEqual(DecodeResult.Ok, Frames.Validate("30 09 0003 612f62 00 c0 ed 2b"));
        }

        [TestMethod]
        public void Decode_before_the_body_arrived_needs_more_instead_of_throwing()
        {
            byte[] partial = Bytes.Hex("30 0b 0003 612f62 6865");
            FixedHeader h = new FixedHeader();
            Assert.AreEqual(DecodeResult.Ok, Framing.ReadHeader(partial, 0, partial.Length, 0, h));
            PublishView v = new PublishView();
            Assert.AreEqual(DecodeResult.NeedMore, PublishPacket.Decode(partial, 0, h, v));
        }

        [TestMethod]
        public void Decoding_with_another_type_header_is_refused()
        {
            byte[] p = Bytes.Hex(Vectors.M31Puback);
            PublishView v = new PublishView();
            Assert.AreEqual(DecodeResult.WrongPacketType, PublishPacket.Decode(p, 0, Frames.Header(p), v));
        }
    }
}
