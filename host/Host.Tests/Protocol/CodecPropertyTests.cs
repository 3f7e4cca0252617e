using System.Collections.Generic;
using System.Linq;
using System.Text;
using System;
using CsCheck;
using Device.Protocol;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Properties over random input: valid packets built from random models encode to what an independent
    /// reference encoder (Oracle, below) produces and decode back to the model; arbitrary and mutated bytes never
    /// make the codec throw; UTF-8 validation and topic matching agree with independent reference definitions.
    /// </summary>
    public class CodecPropertyTests
    {
        private const long Iterations = 3000;

        // Pieces with multi-byte UTF-8 (2, 3 and 4 bytes) so strings are not just ASCII.
        private static readonly Gen<string> Text = Gen.OneOf("a", "b", "Z", "0", " ", "-", "é", "€", "中", "😀", "$")
            .Array[0, 8].Select(parts => string.Concat(parts));

        private static readonly Gen<string> TopicName = Gen.OneOf("a", "b", "/", "é", "€", "😀", "$", " ")
            .Array[1, 12].Select(parts => string.Concat(parts));

        private static readonly Gen<string> Level = Gen.Frequency(
            (4, Gen.OneOf("a", "bb", "€", "", "$SYS", "x y")),
            (2, Gen.Const("+")));

        private static readonly Gen<string> TopicFilter = Gen.Select(Level.Array[1, 5], Gen.Bool, (levels, hash) =>
            string.Join("/", hash ? levels.Concat(new[] { "#" }) : levels)).Where(f => f.Length > 0);

        private static readonly Gen<byte[]> Payload = Gen.Byte.Array[0, 300];

        private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

        [Fact]
        public void Random_publish_round_trips()
        {
            Gen.Select(Gen.Byte[0, 2], Gen.Bool, Gen.Bool, Gen.UShort[1, 65535], TopicName, Payload)
                .Sample((qos, dup, retain, id, topic, payload) =>
                {
                    bool d = dup && qos > 0;
                    ushort pid = qos > 0 ? id : (ushort)0;
                    byte[] t = U(topic);
                    var body = new List<byte>();
                    Oracle.String(body, t);
                    if (qos > 0) Oracle.UInt16(body, pid);
                    body.AddRange(payload);
                    byte[] expected = Oracle.Packet((byte)(0x30 | (d ? 8 : 0) | (qos << 1) | (retain ? 1 : 0)), body);

                    byte[] dst = new byte[expected.Length + 4];
                    int n = PublishPacket.Encode(dst, 4, expected.Length, qos, dup, retain, id, t, 0, t.Length, payload, 0, payload.Length);
                    Assert.Equal(expected, dst.Skip(4).Take(n).ToArray());

                    FixedHeader h = new FixedHeader();
                    Assert.Equal(DecodeResult.Ok, Read(dst, 4, n, h));
                    PublishView v = new PublishView();
                    Assert.Equal(DecodeResult.Ok, PublishPacket.Decode(dst, 4, h, v));
                    Assert.Equal((qos, d, retain, pid), (v.Qos, v.Dup, v.Retain, v.PacketId));
                    Assert.Equal(t, Bytes(dst, v.TopicOffset, v.TopicLength));
                    Assert.Equal(payload, Bytes(dst, v.PayloadOffset, v.PayloadLength));
                }, iter: Iterations);
        }

        [Fact]
        public void Random_connect_round_trips()
        {
            var will = Gen.Select(TopicName, Gen.Byte.Array[0, 40], Gen.Byte[0, 2], Gen.Bool);
            var creds = Gen.Select(Gen.Bool, Text, Gen.Bool, Gen.Byte.Array[0, 30]);
            Gen.Select(Gen.Bool, Gen.Bool, Gen.UShort, Text, Gen.Bool, will, creds)
                .Sample((v311, clean, keepAlive, clientId, hasWill, w, c) =>
                {
                    var (willTopic, willMessage, willQos, willRetain) = w;
                    var (hasUser, user, hasPassword, password) = c;
                    if (v311 && hasPassword && !hasUser) hasPassword = false;

                    // Lay the fields out in one source buffer the way a client would.
                    var src = new List<byte>();
                    int Put(byte[] b) { int at = src.Count; src.AddRange(b); return at; }

                    var view = new ConnectView
                    {
                        ProtocolLevel = v311 ? ProtocolLevel.V311 : ProtocolLevel.V31,
                        CleanSession = clean,
                        KeepAlive = keepAlive,
                        HasWill = hasWill,
                        WillQos = hasWill ? willQos : (byte)0,
                        WillRetain = hasWill && willRetain,
                        HasUsername = hasUser,
                        HasPassword = hasPassword,
                    };
                    view.ClientIdLength = U(clientId).Length;
                    view.ClientIdOffset = Put(U(clientId));
                    if (hasWill)
                    {
                        view.WillTopicLength = U(willTopic).Length;
                        view.WillTopicOffset = Put(U(willTopic));
                        view.WillMessageLength = willMessage.Length;
                        view.WillMessageOffset = Put(willMessage);
                    }

                    if (hasUser)
                    {
                        view.UsernameLength = U(user).Length;
                        view.UsernameOffset = Put(U(user));
                    }

                    if (hasPassword)
                    {
                        view.PasswordLength = password.Length;
                        view.PasswordOffset = Put(password);
                    }

                    byte[] source = src.ToArray();

                    var body = new List<byte>();
                    Oracle.String(body, U(v311 ? "MQTT" : "MQIsdp"));
                    body.Add(view.ProtocolLevel);
                    body.Add((byte)((hasUser ? 0x80 : 0) | (hasPassword ? 0x40 : 0) | (view.WillRetain ? 0x20 : 0)
                        | (view.WillQos << 3) | (hasWill ? 0x04 : 0) | (clean ? 0x02 : 0)));
                    Oracle.UInt16(body, keepAlive);
                    Oracle.String(body, U(clientId));
                    if (hasWill) { Oracle.String(body, U(willTopic)); Oracle.String(body, willMessage); }

                    if (hasUser) Oracle.String(body, U(user));
                    if (hasPassword) Oracle.String(body, password);
                    byte[] expected = Oracle.Packet(0x10, body);

                    byte[] dst = new byte[expected.Length];
                    Assert.Equal(expected.Length, ConnectPacket.Encode(dst, 0, dst.Length, view, source));
                    Assert.Equal(expected, dst);

                    FixedHeader h = new FixedHeader();
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, dst.Length, h));
                    ConnectView d = new ConnectView();
                    Assert.Equal(DecodeResult.Ok, ConnectPacket.Decode(dst, 0, h, d));
                    Assert.Equal((view.ProtocolLevel, clean, keepAlive, hasWill, view.WillQos, view.WillRetain, hasUser, hasPassword),
                        (d.ProtocolLevel, d.CleanSession, d.KeepAlive, d.HasWill, d.WillQos, d.WillRetain, d.HasUsername, d.HasPassword));
                    Assert.Equal(U(clientId), Bytes(dst, d.ClientIdOffset, d.ClientIdLength));
                    if (hasWill) { Assert.Equal(U(willTopic), Bytes(dst, d.WillTopicOffset, d.WillTopicLength)); Assert.Equal(willMessage, Bytes(dst, d.WillMessageOffset, d.WillMessageLength)); }

                    if (hasUser) Assert.Equal(U(user), Bytes(dst, d.UsernameOffset, d.UsernameLength));
                    if (hasPassword) Assert.Equal(password, Bytes(dst, d.PasswordOffset, d.PasswordLength));
                }, iter: Iterations);
        }

        [Fact]
        public void Random_subscribe_unsubscribe_and_suback_round_trip()
        {
            Gen.Select(Gen.UShort[1, 65535], Gen.Select(TopicFilter, Gen.Byte[0, 2]).Array[1, 6])
                .Sample((id, entries) =>
                {
                    byte[][] filters = entries.Select(e => U(e.Item1)).ToArray();
                    byte[] qos = entries.Select(e => e.Item2).ToArray();

                    var body = new List<byte>();
                    Oracle.UInt16(body, id);
                    for (int i = 0; i < filters.Length; i++) { Oracle.String(body, filters[i]); body.Add(qos[i]); }

                    byte[] sub = Oracle.Packet(0x82, body);
                    byte[] dst = new byte[sub.Length];
                    Assert.Equal(sub.Length, SubscribePacket.Encode(dst, 0, dst.Length, id, filters, qos, filters.Length));
                    Assert.Equal(sub, dst);
                    FixedHeader h = new FixedHeader();
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, dst.Length, h));
                    SubscribeView sv = new SubscribeView();
                    Assert.Equal(DecodeResult.Ok, SubscribePacket.Decode(dst, 0, h, sv));
                    Assert.Equal((id, filters.Length), (sv.PacketId, sv.Count));
                    int cursor = sv.EntriesOffset;
                    for (int i = 0; i < filters.Length; i++)
                    {
                        SubscribePacket.NextEntry(dst, ref cursor, out int f, out int fLength, out byte q);
                        Assert.Equal(filters[i], Bytes(dst, f, fLength));
                        Assert.Equal(qos[i], q);
                    }

                    Assert.Equal(sv.EntriesEnd, cursor);

                    body.Clear();
                    Oracle.UInt16(body, id);
                    foreach (byte[] f in filters) Oracle.String(body, f);
                    byte[] unsub = Oracle.Packet(0xA2, body);
                    dst = new byte[unsub.Length];
                    Assert.Equal(unsub.Length, UnsubscribePacket.Encode(dst, 0, dst.Length, id, filters, filters.Length));
                    Assert.Equal(unsub, dst);
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, dst.Length, h));
                    UnsubscribeView uv = new UnsubscribeView();
                    Assert.Equal(DecodeResult.Ok, UnsubscribePacket.Decode(dst, 0, h, uv));
                    Assert.Equal((id, filters.Length), (uv.PacketId, uv.Count));

                    byte[] codes = qos.Select((q, i) => i % 3 == 2 ? SubackCode.Failure : q).ToArray();
                    body.Clear();
                    Oracle.UInt16(body, id);
                    body.AddRange(codes);
                    byte[] suback = Oracle.Packet(0x90, body);
                    dst = new byte[suback.Length];
                    Assert.Equal(suback.Length, SubackPacket.Encode(dst, 0, dst.Length, id, codes, 0, codes.Length));
                    Assert.Equal(suback, dst);
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, dst.Length, h));
                    SubackView kv = new SubackView();
                    Assert.Equal(DecodeResult.Ok, SubackPacket.Decode(dst, 0, h, kv));
                    Assert.Equal(codes, Bytes(dst, kv.ReturnCodesOffset, kv.ReturnCodesLength));
                }, iter: Iterations);
        }

        [Fact]
        public void Random_acks_connacks_and_empty_packets_round_trip()
        {
            Gen.Select(Gen.OneOf(PacketType.Puback, PacketType.Pubrec, PacketType.Pubrel, PacketType.Pubcomp, PacketType.Unsuback),
                    Gen.UShort[1, 65535], Gen.Byte[0, 5], Gen.Bool, Gen.OneOf(PacketType.Pingreq, PacketType.Pingresp, PacketType.Disconnect))
                .Sample((type, id, code, session, empty) =>
                {
                    byte[] dst = new byte[4];
                    Assert.Equal(4, AckPacket.Encode(dst, 0, 4, type, id));
                    Assert.Equal(new byte[] { (byte)(type << 4 | (type == PacketType.Pubrel ? 2 : 0)), 2, (byte)(id >> 8), (byte)id }, dst);
                    FixedHeader h = new FixedHeader();
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, 4, h));
                    Assert.Equal(DecodeResult.Ok, AckPacket.Decode(dst, 0, h, out ushort got));
                    Assert.Equal(id, got);

                    Assert.Equal(4, ConnackPacket.Encode(dst, 0, 4, session, code));
                    Assert.Equal(new byte[] { 0x20, 2, (byte)(session && code == 0 ? 1 : 0), code }, dst);
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, 4, h));
                    ConnackView cv = new ConnackView();
                    Assert.Equal(DecodeResult.Ok, ConnackPacket.Decode(dst, 0, h, cv));
                    Assert.Equal((session && code == 0, code), (cv.SessionPresent, cv.ReturnCode));

                    Assert.Equal(2, EmptyPacket.Encode(dst, 0, 4, empty));
                    Assert.Equal(DecodeResult.Ok, Read(dst, 0, 2, h));
                    Assert.Equal(empty, h.Type);
                    Assert.Equal(DecodeResult.Ok, EmptyPacket.Decode(dst, 0, h));
                }, iter: Iterations);
        }

        [Fact]
        public void Random_bytes_keep_every_decoder_invariant()
        {
            // Uniform random bytes (the fuzz test mutates valid packets instead): the shared oracle checks what
            // must hold for any input (verdict independent of neighbours, no decoder writing the buffer, framing
            // that tightens as bytes arrive, limits that agree, exact re-encoding of what is accepted) besides
            // Scan's own checks, under no limit and under a small one.
            var oracle = new Fuzz.Shared.DecoderOracle();
            int[] limits = { 0, 64 };
            int i = 0;
            Gen.Byte.Array[0, 600].Sample(bytes =>
            {
                Scan(bytes);
                oracle.Check(bytes, bytes.Length, limits[i++ % limits.Length]);
            }, iter: 20000, threads: 1); // one oracle, one thread: it keeps scratch copies of the input

            // Random bytes must reach more than one way of being refused, or the run proves little.
            int distinct = Enumerable.Range(0, oracle.Verdicts.Length).Count(v => oracle.Verdicts[v] > 0);
            Assert.True(distinct >= 5, "only " + distinct + " distinct verdicts reached");
            Assert.True(oracle.Verdicts[(int)DecodeResult.PacketTooLarge] > 0, "the small limit was never hit");
        }

        [Fact]
        public void Mutated_valid_packets_never_throw()
        {
            // Random bytes rarely get past the header; damaged real packets reach every field check.
            string[] seeds =
            {
                "103800044d51545404ec003c000c7375622d6d71747476333131000d77696c6c2f6d717474763331310003627965000475736572000470617373",
                "103800064d514973647003ec003c000b7375622d6d717474763331000c77696c6c2f6d7174747633310003627965000475736572000470617373",
                "340f0005642f652f66000168656c6c6f32", "821400010003612f62020003632f2b020003642f2302", "90050001020280",
                "a20700020003612f62", "20020100", "62020001", "c000",
            };
            byte[][] packets = seeds.Select(Convert.FromHexString).ToArray();
            Gen.Select(Gen.Int[0, packets.Length - 1], Gen.Select(Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, 2]).Array[1, 4])
                .Sample((which, edits) =>
                {
                    var b = packets[which].ToList();
                    foreach (var (at, value, kind) in edits)
                    {
                        int i = at % (b.Count + 1);
                        if (kind == 0 && i < b.Count) b[i] = value;
                        else if (kind == 1) b.Insert(i, value);
                        else if (i < b.Count) b.RemoveAt(i);
                    }

                    Scan(b.ToArray());
                }, iter: 30000);
        }

        [Fact]
        public void Utf8_validation_agrees_with_a_strict_decoder()
        {
            var strict = new UTF8Encoding(false, true);
            var interesting = Gen.Frequency(
                (3, Gen.Byte[0x00, 0x7F]), (3, Gen.Byte[0x80, 0xBF]), (2, Gen.Byte[0xC0, 0xDF]),
                (2, Gen.OneOf<byte>(0xE0, 0xED, 0xEF, 0xE1)), (2, Gen.OneOf<byte>(0xF0, 0xF4, 0xF5, 0xFF)));
            interesting.Array[0, 12].Sample(bytes =>
            {
                DecodeResult expected;
                try
                {
                    string s = strict.GetString(bytes);
                    expected = s.Contains('\0') ? DecodeResult.Utf8NullCharacter : DecodeResult.Ok;
                }
                catch (DecoderFallbackException)
                {
                    expected = DecodeResult.InvalidUtf8;
                }

                DecodeResult actual = Utf8.Validate(bytes, 0, bytes.Length);
                // .NET reports encoded surrogates as invalid; we name them, and report the first problem found.
                if (actual == DecodeResult.Utf8Surrogate || (actual == DecodeResult.Utf8NullCharacter && expected == DecodeResult.InvalidUtf8))
                {
                    Assert.NotEqual(DecodeResult.Ok, expected);
                }
                else
                {
                    Assert.Equal(expected, actual);
                }
            }, iter: 50000);
        }

        [Fact]
        public void Utf8_encoding_agrees_with_dotnet()
        {
            Text.Sample(s =>
            {
                byte[] dst = new byte[Utf8.ByteCount(s)];
                Assert.Equal(dst.Length, Utf8.Encode(s, dst, 0));
                Assert.Equal(Encoding.UTF8.GetBytes(s), dst);
                Assert.Equal(s, Utf8.Decode(dst, 0, dst.Length));
            }, iter: Iterations);
        }

        [Fact]
        public void Topic_matching_agrees_with_a_level_by_level_reference()
        {
            Gen.Select(TopicFilter, Gen.OneOf("a", "bb", "€", "", "$SYS", "x y").Array[1, 6])
                .Sample((filter, levels) =>
                {
                    string topic = string.Join("/", levels);
                    if (topic.Length == 0) return;
                    byte[] f = U(filter);
                    byte[] t = U(topic);
                    Assert.Equal(DecodeResult.Ok, Topic.ValidateFilter(f, 0, f.Length));
                    Assert.Equal(ReferenceMatch(filter, topic), Topic.Matches(f, 0, f.Length, t, 0, t.Length));
                }, iter: 20000);
        }

        /// <summary>4.7 read literally: compare level lists; '#' eats the rest (including none); '$' topics exempt.</summary>
        private static bool ReferenceMatch(string filter, string topic)
        {
            if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#'))) return false;
            string[] f = filter.Split('/');
            string[] t = topic.Split('/');
            for (int i = 0; i < f.Length; i++)
            {
                if (f[i] == "#") return true;
                if (i >= t.Length) return false;
                if (f[i] != "+" && f[i] != t[i]) return false;
            }

            return f.Length == t.Length;
        }

        /// <summary>Frames and validates everything in the bytes like a receive loop; any exception fails the property.</summary>
        private static void Scan(byte[] bytes)
        {
            int off = 0;
            while (off < bytes.Length)
            {
                FixedHeader h = new FixedHeader();
                DecodeResult r = Framing.ReadHeader(bytes, off, bytes.Length - off, 0, h);
                if (r != DecodeResult.Ok) return;
                // Decoders must also cope with a header whose body is not all there.
                DecodeResult v = new Packet().Validate(bytes, off, h);
                Assert.True(Enum.IsDefined(v));
                if (bytes.Length - off < h.TotalLength)
                {
                    // Bad header flags are known without the body; anything else has to wait for it.
                    Assert.True(v == DecodeResult.NeedMore || v == DecodeResult.InvalidHeaderFlags, v.ToString());
                    return;
                }

                if (v == DecodeResult.Ok && h.Type == PacketType.Publish)
                {
                    // Whatever was accepted re-encodes to the very same bytes.
                    PublishView p = new PublishView();
                    PublishPacket.Decode(bytes, off, h, p);
                    byte[] again = new byte[h.TotalLength + 8];
                    int n = PublishPacket.Encode(again, 0, again.Length, p.Qos, p.Dup, p.Retain, p.PacketId,
                        bytes, p.TopicOffset, p.TopicLength, bytes, p.PayloadOffset, p.PayloadLength);
                    if (h.HeaderLength == Framing.RemainingLengthSize(h.RemainingLength) + 1)
                    {
                        Assert.Equal(bytes.Skip(off).Take(h.TotalLength), again.Take(n));
                    }
                }

                off += h.TotalLength;
            }
        }

        private static DecodeResult Read(byte[] b, int off, int count, FixedHeader h)
        {
            DecodeResult r = Framing.ReadHeader(b, off, count, 0, h);
            Assert.Equal(count, h.TotalLength);
            return r;
        }

        private static byte[] Bytes(byte[] b, int offset, int length) => b.AsSpan(offset, length).ToArray();

        /// <summary>A deliberately plain encoder, written from the spec's figures and sharing no code with the codec.</summary>
        private static class Oracle
        {
            public static void UInt16(List<byte> to, int v) { to.Add((byte)(v >> 8)); to.Add((byte)v); }

            public static void String(List<byte> to, byte[] s) { UInt16(to, s.Length); to.AddRange(s); }

            public static byte[] Packet(byte first, List<byte> body)
            {
                var p = new List<byte> { first };
                int x = body.Count;
                do
                {
                    byte digit = (byte)(x % 128);
                    x /= 128;
                    if (x > 0) digit |= 0x80;
                    p.Add(digit);
                }
                while (x > 0);
                p.AddRange(body);
                return p.ToArray();
            }
        }
    }
}
