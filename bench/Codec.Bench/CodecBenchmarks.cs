using System.Buffers;
using System.Text;
using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Device.Protocol;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Codec.Bench
{
    /// <summary>
    /// Decode and encode of the same PUBLISH (small and 1 KB payload) and CONNECT bytes by our codec and by
    /// MQTTnet 5's MqttPacketFormatterAdapter (3.1.1). MQTTnet is handed the fixed header already split off
    /// (ReceivedMqttPacket), while our decode timings include Framing.ReadHeader, so the comparison favours MQTTnet.
    /// </summary>
    [MemoryDiagnoser]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class CodecBenchmarks
    {
        private static readonly byte[] Topic = Encoding.ASCII.GetBytes("sensors/kitchen/temperature");
        private static readonly byte[] SmallPayload = Encoding.ASCII.GetBytes("21.5");
        private static readonly byte[] KbPayload = Fill(1024);
        private static readonly byte[] ConnectBytes = Convert.FromHexString(
            "103800044d51545404ec003c000c7375622d6d71747476333131000d77696c6c2f6d717474763331310003627965000475736572000470617373");

        private readonly byte[] _publishSmall = Publish(SmallPayload);
        private readonly byte[] _publishKb = Publish(KbPayload);
        private readonly byte[] _dst = new byte[2048];
        private readonly MqttPacketFormatterAdapter _mqttnet = new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536));
        private readonly MqttPublishPacket _netPublishSmall = NetPublish(SmallPayload);
        private readonly MqttPublishPacket _netPublishKb = NetPublish(KbPayload);
        private readonly MqttConnectPacket _netConnect = NetConnect();
        // The codec decodes into caller-owned instances: one of each, reused by every run (BenchmarkDotNet runs one thread).
        private static readonly FixedHeader Header = new FixedHeader();
        private static readonly ConnectView ConnectInto = new ConnectView();
        private static readonly PublishView PublishInto = new PublishView();
        private readonly ConnectView _connectView = OurConnectView();

        // ---- PUBLISH, 4-byte payload ----

        [Benchmark(Baseline = true), BenchmarkCategory("Decode PUBLISH small")]
        public int MQTTnet_Decode_PublishSmall() => MqttnetDecode(_publishSmall);

        [Benchmark, BenchmarkCategory("Decode PUBLISH small")]
        public int Ours_Decode_PublishSmall() => OurDecodePublish(_publishSmall);

        [Benchmark(Baseline = true), BenchmarkCategory("Encode PUBLISH small")]
        public int MQTTnet_Encode_PublishSmall() => _mqttnet.Encode(_netPublishSmall).Length;

        [Benchmark, BenchmarkCategory("Encode PUBLISH small")]
        public int Ours_Encode_PublishSmall() => OurEncodePublish(SmallPayload);

        // ---- PUBLISH, 1 KB payload ----

        [Benchmark(Baseline = true), BenchmarkCategory("Decode PUBLISH 1 KB")]
        public int MQTTnet_Decode_Publish1KB() => MqttnetDecode(_publishKb);

        [Benchmark, BenchmarkCategory("Decode PUBLISH 1 KB")]
        public int Ours_Decode_Publish1KB() => OurDecodePublish(_publishKb);

        /// <summary>MQTTnet's Encode references the payload (ReadOnlySequence) instead of copying it.</summary>
        [Benchmark(Baseline = true), BenchmarkCategory("Encode PUBLISH 1 KB")]
        public int MQTTnet_Encode_Publish1KB() => _mqttnet.Encode(_netPublishKb).Length;

        /// <summary>Whole packet into one buffer: copies the 1 KB payload.</summary>
        [Benchmark, BenchmarkCategory("Encode PUBLISH 1 KB")]
        public int Ours_Encode_Publish1KB() => OurEncodePublish(KbPayload);

        /// <summary>Header only, payload sent from where it lies: the like-for-like of MQTTnet's Encode.</summary>
        [Benchmark, BenchmarkCategory("Encode PUBLISH 1 KB")]
        public int Ours_EncodeHeader_Publish1KB() =>
            PublishPacket.EncodeHeader(_dst, 0, _dst.Length, 1, false, false, 42, Topic, 0, Topic.Length, KbPayload.Length) + KbPayload.Length;

        // ---- CONNECT (3.1.1, will + user name + password, from the Mosquitto capture) ----

        [Benchmark(Baseline = true), BenchmarkCategory("Decode CONNECT")]
        public int MQTTnet_Decode_Connect() => MqttnetDecode(ConnectBytes);

        [Benchmark, BenchmarkCategory("Decode CONNECT")]
        public int Ours_Decode_Connect()
        {
            FixedHeader h = Header;
            ConnectView v = ConnectInto;
            Framing.ReadHeader(ConnectBytes, 0, ConnectBytes.Length, 65536, h);
            ConnectPacket.Decode(ConnectBytes, 0, h, v);
            return v.ClientIdLength + v.KeepAlive;
        }

        [Benchmark(Baseline = true), BenchmarkCategory("Encode CONNECT")]
        public int MQTTnet_Encode_Connect() => _mqttnet.Encode(_netConnect).Length;

        [Benchmark, BenchmarkCategory("Encode CONNECT")]
        public int Ours_Encode_Connect() => ConnectPacket.Encode(_dst, 0, _dst.Length, _connectView, ConnectBytes);

        // ---- helpers ----

        private int MqttnetDecode(byte[] packet)
        {
            // The fixed header is given pre-parsed, as MQTTnet's channel adapter does before calling the formatter.
            int headerLength = packet[1] < 0x80 ? 2 : packet[2] < 0x80 ? 3 : 4;
            var received = new ReceivedMqttPacket(packet[0], new ArraySegment<byte>(packet, headerLength, packet.Length - headerLength), packet.Length);
            MqttPacket p = _mqttnet.Decode(received);
            return p is MqttPublishPacket pub ? pub.PacketIdentifier : 1;
        }

        private static int OurDecodePublish(byte[] packet)
        {
            FixedHeader h = Header;
            PublishView v = PublishInto;
            Framing.ReadHeader(packet, 0, packet.Length, 65536, h);
            PublishPacket.Decode(packet, 0, h, v);
            return v.PacketId + v.PayloadLength;
        }

        private int OurEncodePublish(byte[] payload) =>
            PublishPacket.Encode(_dst, 0, _dst.Length, 1, false, false, 42, Topic, 0, Topic.Length, payload, 0, payload.Length);

        private static byte[] Publish(byte[] payload)
        {
            byte[] b = new byte[Framing.PacketSize(2 + Topic.Length + 2 + payload.Length)];
            PublishPacket.Encode(b, 0, b.Length, 1, false, false, 42, Topic, 0, Topic.Length, payload, 0, payload.Length);
            return b;
        }

        private static MqttPublishPacket NetPublish(byte[] payload) => new MqttPublishPacket
        {
            Topic = Encoding.ASCII.GetString(Topic),
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            PacketIdentifier = 42,
        };

        private static MqttConnectPacket NetConnect() => new MqttConnectPacket
        {
            ClientId = "sub-mqttv311",
            CleanSession = false,
            KeepAlivePeriod = 60,
            WillFlag = true,
            WillTopic = "will/mqttv311",
            WillMessage = Encoding.ASCII.GetBytes("bye"),
            WillQoS = MqttQualityOfServiceLevel.AtLeastOnce,
            WillRetain = true,
            Username = "user",
            Password = Encoding.ASCII.GetBytes("pass"),
        };

        private static ConnectView OurConnectView()
        {
            var h = new FixedHeader();
            var v = new ConnectView();
            Framing.ReadHeader(ConnectBytes, 0, ConnectBytes.Length, 0, h);
            ConnectPacket.Decode(ConnectBytes, 0, h, v);
            return v;
        }

        private static byte[] Fill(int n)
        {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++)
            {
                b[i] = (byte)(i * 31);
            }

            return b;
        }

        /// <summary>Both codecs must agree on the bytes before their speed means anything.</summary>
        public static void CheckSameBytes()
        {
            var b = new CodecBenchmarks();
            Same(b._publishSmall, b._mqttnet.Encode(b._netPublishSmall).ToArray(), "PUBLISH small");
            Same(b._publishKb, b._mqttnet.Encode(b._netPublishKb).ToArray(), "PUBLISH 1 KB");
            Same(ConnectBytes, b._mqttnet.Encode(b._netConnect).ToArray(), "CONNECT");

            int n = b.Ours_Encode_Connect();
            Same(ConnectBytes, b._dst.AsSpan(0, n).ToArray(), "our CONNECT");
            var pub = (MqttPublishPacket)b._mqttnet.Decode(new ReceivedMqttPacket(b._publishKb[0],
                new ArraySegment<byte>(b._publishKb, 3, b._publishKb.Length - 3), b._publishKb.Length));
            if (pub.Payload.Length != 1024 || pub.Topic != "sensors/kitchen/temperature" || b.Ours_Decode_Publish1KB() != 42 + 1024)
            {
                throw new InvalidOperationException("decoders disagree on PUBLISH 1 KB");
            }

            var con = (MqttConnectPacket)b._mqttnet.Decode(new ReceivedMqttPacket(ConnectBytes[0],
                new ArraySegment<byte>(ConnectBytes, 2, ConnectBytes.Length - 2), ConnectBytes.Length));
            if (con.ClientId != "sub-mqttv311" || con.WillTopic != "will/mqttv311" || con.Username != "user")
            {
                throw new InvalidOperationException("MQTTnet decoded the CONNECT differently");
            }
        }

        private static void Same(byte[] expected, byte[] actual, string what)
        {
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                throw new InvalidOperationException(what + ": " + Convert.ToHexString(expected) + " != " + Convert.ToHexString(actual));
            }
        }
    }
}
