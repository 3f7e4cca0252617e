using System.Collections.Generic;
using System.Linq;
using System.Text;
using System;
using Device.Protocol;

namespace Fuzz.Shared
{
    /// <summary>
    /// Valid packets of every type and variant the codec knows, built with its own encoders so each seed is
    /// well-formed by construction. Mutations of valid packets reach deep decoder paths far more often than
    /// random bytes do. Shared by the xunit fuzzers and the SharpFuzz targets (fuzz/), which link this file.
    /// </summary>
    public static class PacketSeeds
    {
        public static List<byte[]> All()
        {
            var seeds = new List<byte[]>();
            AddConnects(seeds);
            seeds.Add(Connack(false, ConnectReturnCode.Accepted));
            seeds.Add(Connack(true, ConnectReturnCode.Accepted));
            for (byte code = 1; code <= 5; code++)
            {
                seeds.Add(Connack(false, code));
            }

            AddPublishes(seeds);
            foreach (byte t in new[] { PacketType.Puback, PacketType.Pubrec, PacketType.Pubrel, PacketType.Pubcomp, PacketType.Unsuback })
            {
                seeds.Add(Ack(t, 1));
                seeds.Add(Ack(t, 0xFFFF));
            }

            seeds.Add(Subscribe(1, new[] { "a/b" }, new byte[] { 0 }));
            seeds.Add(Subscribe(7, new[] { "sensors/+/temp", "#", "a/#", "+", "$SYS/#" }, new byte[] { 1, 2, 0, 1, 2 }));
            seeds.Add(Subscribe(0x1234, new[] { "ä/€/+/𝄞" }, new byte[] { 2 }));
            seeds.Add(Suback(1, new byte[] { 0 }));
            seeds.Add(Suback(9, new byte[] { 0, 1, 2, SubackCode.Failure }));
            seeds.Add(Unsubscribe(2, new[] { "a/b" }));
            seeds.Add(Unsubscribe(3, new[] { "+/x", "#", "a/+/c" }));
            foreach (byte t in new[] { PacketType.Pingreq, PacketType.Pingresp, PacketType.Disconnect })
            {
                seeds.Add(Empty(t));
            }

            return seeds;
        }

        /// <summary>A whole client conversation in one stream: the engine target's seed shape.</summary>
        public static byte[] Session(string clientId, bool clean, string topic, byte qos)
        {
            var stream = new List<byte>();
            stream.AddRange(Connect(ProtocolLevel.V311, clientId, clean, 30, null, 0, false, null, null));
            stream.AddRange(Subscribe(1, new[] { topic }, new[] { qos }));
            stream.AddRange(Publish(qos, false, false, 2, topic, Encoding.UTF8.GetBytes("payload")));
            if (qos == 1)
            {
                stream.AddRange(Ack(PacketType.Puback, 1));
            }
            else if (qos == 2)
            {
                stream.AddRange(Ack(PacketType.Pubrel, 2));
                stream.AddRange(Ack(PacketType.Pubrec, 1));
                stream.AddRange(Ack(PacketType.Pubcomp, 1));
            }

            stream.AddRange(Unsubscribe(3, new[] { topic }));
            stream.AddRange(Empty(PacketType.Pingreq));
            stream.AddRange(Empty(PacketType.Disconnect));
            return stream.ToArray();
        }

        /// <summary>True when the bytes are one or more complete packets that all decode as Ok.</summary>
        public static bool IsValidStream(byte[] b)
        {
            if (b == null || b.Length < 2)
            {
                return false;
            }

            int off = 0;
            FixedHeader h = new FixedHeader();
            Packet packet = new Packet();
            while (off < b.Length)
            {
                if (Framing.ReadHeader(b, off, b.Length - off, 0, h) != DecodeResult.Ok || h.TotalLength > b.Length - off)
                {
                    return false;
                }

                if (packet.Validate(b, off, h) != DecodeResult.Ok)
                {
                    return false;
                }

                off += h.TotalLength;
            }

            return true;
        }

        /// <summary>"10 19 0004 4d51..." (spaces anywhere) to bytes; false for anything that is not hex.</summary>
        public static bool TryHex(string text, out byte[] bytes)
        {
            string digits = text.Replace(" ", "");
            bytes = null;
            if (digits.Length < 4 || digits.Length % 2 != 0 || !digits.All(Uri.IsHexDigit))
            {
                return false;
            }

            bytes = Convert.FromHexString(digits);
            return true;
        }

        private static void AddConnects(List<byte[]> seeds)
        {
            seeds.Add(Connect(ProtocolLevel.V311, "c", true, 60, null, 0, false, null, null));
            seeds.Add(Connect(ProtocolLevel.V311, "", true, 0, null, 0, false, null, null));
            seeds.Add(Connect(ProtocolLevel.V311, "sensor-17", false, 10, "dead/sensor-17", 1, true, "user", "secret"));
            seeds.Add(Connect(ProtocolLevel.V311, "w2", true, 5, "last/will", 2, false, null, null));
            seeds.Add(Connect(ProtocolLevel.V311, "only-user", true, 5, null, 0, false, "ü-ser", null));
            seeds.Add(Connect(ProtocolLevel.V31, "legacy31", true, 30, "w/31", 0, true, null, "token-only"));
            seeds.Add(Connect(ProtocolLevel.V31, "abcdefghijklmnopqrstuvw", false, 65535, null, 0, false, "u", "p"));
        }

        private static void AddPublishes(List<byte[]> seeds)
        {
            seeds.Add(Publish(0, false, false, 0, "a/b", Encoding.UTF8.GetBytes("hi")));
            seeds.Add(Publish(0, false, true, 0, "t", new byte[0]));
            seeds.Add(Publish(1, false, false, 1, "sensors/kitchen/temp", Encoding.UTF8.GetBytes("21.5")));
            seeds.Add(Publish(1, true, true, 0xFFFF, "$SYS/broker/uptime", Encoding.UTF8.GetBytes("10")));
            seeds.Add(Publish(2, true, false, 42, "ä/€/𝄞", new byte[] { 0, 1, 2, 0xFF }));
            seeds.Add(Publish(2, false, false, 3, "/", new byte[0]));
            // 300 bytes of payload: a two-byte remaining length, so length tweaks hit the multi-byte varint too.
            var big = new byte[300];
            for (int i = 0; i < big.Length; i++)
            {
                big[i] = (byte)i;
            }

            seeds.Add(Publish(1, false, false, 5, "big/payload", big));
        }

        public static byte[] Connect(byte level, string clientId, bool clean, ushort keepAlive, string willTopic, byte willQos,
            bool willRetain, string user, string password)
        {
            var src = new List<byte>();
            var v = new ConnectView { ProtocolLevel = level, CleanSession = clean, KeepAlive = keepAlive };
            Append(src, Encoding.UTF8.GetBytes(clientId), out v.ClientIdOffset, out v.ClientIdLength);
            if (willTopic != null)
            {
                v.HasWill = true;
                v.WillQos = willQos;
                v.WillRetain = willRetain;
                Append(src, Encoding.UTF8.GetBytes(willTopic), out v.WillTopicOffset, out v.WillTopicLength);
                Append(src, new byte[] { 0x6F, 0x66, 0x66, 0x00 }, out v.WillMessageOffset, out v.WillMessageLength);
            }

            if (user != null)
            {
                v.HasUsername = true;
                Append(src, Encoding.UTF8.GetBytes(user), out v.UsernameOffset, out v.UsernameLength);
            }

            if (password != null)
            {
                v.HasPassword = true;
                Append(src, Encoding.UTF8.GetBytes(password), out v.PasswordOffset, out v.PasswordLength);
            }

            byte[] source = src.ToArray();
            return Encode((dst, cap) => ConnectPacket.Encode(dst, 0, cap, v, source));
        }

        public static byte[] Connack(bool sessionPresent, byte code)
        {
            return Encode((dst, cap) => ConnackPacket.Encode(dst, 0, cap, sessionPresent, code));
        }

        public static byte[] Publish(byte qos, bool dup, bool retain, ushort id, string topic, byte[] payload)
        {
            byte[] t = Encoding.UTF8.GetBytes(topic);
            return Encode((dst, cap) => PublishPacket.Encode(dst, 0, cap, qos, dup, retain, id, t, 0, t.Length, payload, 0, payload.Length));
        }

        public static byte[] Ack(byte type, ushort id)
        {
            return Encode((dst, cap) => AckPacket.Encode(dst, 0, cap, type, id));
        }

        public static byte[] Subscribe(ushort id, string[] filters, byte[] qos)
        {
            byte[][] f = Array.ConvertAll(filters, s => Encoding.UTF8.GetBytes(s));
            return Encode((dst, cap) => SubscribePacket.Encode(dst, 0, cap, id, f, qos, f.Length));
        }

        public static byte[] Suback(ushort id, byte[] codes)
        {
            return Encode((dst, cap) => SubackPacket.Encode(dst, 0, cap, id, codes, 0, codes.Length));
        }

        public static byte[] Unsubscribe(ushort id, string[] filters)
        {
            byte[][] f = Array.ConvertAll(filters, s => Encoding.UTF8.GetBytes(s));
            return Encode((dst, cap) => UnsubscribePacket.Encode(dst, 0, cap, id, f, f.Length));
        }

        public static byte[] Empty(byte type)
        {
            return Encode((dst, cap) => EmptyPacket.Encode(dst, 0, cap, type));
        }

        private static void Append(List<byte> src, byte[] bytes, out int offset, out int length)
        {
            offset = src.Count;
            length = bytes.Length;
            src.AddRange(bytes);
        }

        private static byte[] Encode(Func<byte[], int, int> encode)
        {
            var dst = new byte[70000];
            int n = encode(dst, dst.Length);
            if (n <= 0)
            {
                throw new InvalidOperationException("seed encoder refused: " + n);
            }

            var packet = new byte[n];
            Array.Copy(dst, packet, n);
            return packet;
        }
    }
}
