using System;
using Device.Protocol;

namespace Fuzz.Shared
{
    /// <summary>
    /// Runs one input through framing and every decoder and checks what must hold for ANY bytes, not just that
    /// nothing throws: a verdict independent of the bytes around the packet, no decoder writing into the receive
    /// buffer, framing that only ever tightens as bytes arrive, size limits that agree with the unlimited header,
    /// and for every packet accepted as valid an exact re-encoding. Allocation-free, so the caller can measure
    /// the codec's own allocations around it.
    /// </summary>
    public sealed class DecoderOracle
    {
        public const int Capacity = 16384;

        private const int Guard = 16;
        private readonly byte[] pristine = new byte[Capacity];
        private readonly byte[] isolated = new byte[Capacity + Guard];
        private readonly byte[] encoded = new byte[Capacity + 8];

        /// <summary>Per-packet verdicts (framing errors and decoder results), indexed by DecodeResult.</summary>
        public readonly long[] Verdicts = new long[64];

        public long Inputs;
        public long Packets;

        // The codec decodes into caller-owned instances: one of each, reused for every input (the run measures 0 B).
        private readonly FixedHeader _header = new FixedHeader();
        private readonly FixedHeader _unlimited = new FixedHeader();
        private readonly FixedHeader _partial = new FixedHeader();
        private readonly FixedHeader _encodedHeader = new FixedHeader();
        private readonly Packet _packet = new Packet();
        private readonly ConnectView _connect = new ConnectView();
        private readonly ConnackView _connack = new ConnackView();
        private readonly PublishView _publish = new PublishView();
        private readonly SubscribeView _subscribe = new SubscribeView();
        private readonly SubackView _suback = new SubackView();
        private readonly UnsubscribeView _unsubscribe = new UnsubscribeView();

        public void Check(byte[] buf, int len, int maxPacketSize)
        {
            if (len > Capacity)
            {
                len = Capacity;
            }

            Inputs++;
            Array.Copy(buf, pristine, len);
            int offset = 0;
            while (offset < len)
            {
                FixedHeader h = _header;
                DecodeResult r = Framing.ReadHeader(buf, offset, len - offset, maxPacketSize, h);
                CheckFraming(buf, offset, len - offset, maxPacketSize, r, h);
                if (r != DecodeResult.Ok)
                {
                    Verdicts[(int)r]++;
                    break;
                }

                if (h.TotalLength > len - offset)
                {
                    Verdicts[(int)DecodeResult.NeedMore]++;
                    break;
                }

                // Decoders are stateless, so keep going past a bad packet: the rest of the input still exercises them.
                Verdicts[(int)CheckPacket(buf, offset, h)]++;
                Packets++;
                offset += h.TotalLength;
            }

            if (!buf.AsSpan(0, len).SequenceEqual(pristine.AsSpan(0, len)))
            {
                throw new FuzzFailure("a decoder wrote into the receive buffer");
            }
        }

        private void CheckFraming(byte[] buf, int offset, int count, int max, DecodeResult r, FixedHeader h)
        {
            FixedHeader u = _unlimited;
            DecodeResult unlimited = Framing.ReadHeader(buf, offset, count, 0, u);
            if (r == DecodeResult.PacketTooLarge)
            {
                Require(unlimited == DecodeResult.Ok && max > 0 && u.TotalLength > max, "PacketTooLarge without an oversized header", r);
            }
            else if (r == DecodeResult.Ok)
            {
                Require(unlimited == DecodeResult.Ok && u.TotalLength == h.TotalLength && u.Type == h.Type && u.Flags == h.Flags,
                    "limited and unlimited headers disagree", r);
                Require(max <= 0 || h.TotalLength <= max, "header over the limit accepted", r);
                Require(h.Type >= 1 && h.Type <= 14 && h.HeaderLength >= 2 && h.HeaderLength <= 5, "impossible header", r);
                Require(h.RemainingLength >= 0 && h.RemainingLength <= Framing.MaxRemainingLength, "impossible remaining length", r);
            }
            else
            {
                Require(unlimited == r, "verdict depends on the size limit", r);
            }

            // Bytes arriving one at a time: NeedMore until the verdict, then the verdict, never a different one.
            bool decided = false;
            int upTo = Math.Min(count, 6);
            for (int k = 1; k <= upTo; k++)
            {
                DecodeResult partial = Framing.ReadHeader(buf, offset, k, max, _partial);
                if (partial == DecodeResult.NeedMore)
                {
                    Require(!decided, "NeedMore after a verdict", r);
                    continue;
                }

                decided = true;
                Require(partial == r, "prefix verdict differs from the full one", r);
            }
        }

        private DecodeResult CheckPacket(byte[] buf, int off, FixedHeader h)
        {
            DecodeResult r = _packet.Validate(buf, off, h);
            Require(r != DecodeResult.NeedMore && r != DecodeResult.WrongPacketType, "complete packet not decided", r);
            CheckOtherDecoders(buf, off, h, r);

            // The same packet at the very end of another buffer, after garbage: reading outside the packet either
            // throws here or changes the verdict.
            int total = h.TotalLength;
            int isoOff = isolated.Length - total;
            int garbageFrom = Math.Max(0, isoOff - Guard);
            isolated.AsSpan(garbageFrom, isoOff - garbageFrom).Fill((byte)(Inputs & 0xFF));
            Array.Copy(buf, off, isolated, isoOff, total);
            Require(_packet.Validate(isolated, isoOff, h) == r, "verdict depends on bytes outside the packet", r);

            if (r == DecodeResult.Ok)
            {
                RoundTrip(buf, off, h);
            }

            return r;
        }

        private void CheckOtherDecoders(byte[] buf, int off, FixedHeader h, DecodeResult r)
        {
            ConnectView cv = _connect;
            ConnackView kv = _connack;
            PublishView pv = _publish;
            SubscribeView sv = _subscribe;
            SubackView av = _suback;
            UnsubscribeView uv = _unsubscribe;
            ushort id;
            Agree(h.Type == PacketType.Connect, ConnectPacket.Decode(buf, off, h, cv), r, "CONNECT");
            Agree(h.Type == PacketType.Connack, ConnackPacket.Decode(buf, off, h, kv), r, "CONNACK");
            Agree(h.Type == PacketType.Publish, PublishPacket.Decode(buf, off, h, pv), r, "PUBLISH");
            Agree(AckPacket.IsAckType(h.Type), AckPacket.Decode(buf, off, h, out id), r, "ack");
            Agree(h.Type == PacketType.Subscribe, SubscribePacket.Decode(buf, off, h, sv), r, "SUBSCRIBE");
            Agree(h.Type == PacketType.Suback, SubackPacket.Decode(buf, off, h, av), r, "SUBACK");
            Agree(h.Type == PacketType.Unsubscribe, UnsubscribePacket.Decode(buf, off, h, uv), r, "UNSUBSCRIBE");
            Agree(EmptyPacket.IsEmptyType(h.Type), EmptyPacket.Decode(buf, off, h), r, "empty-packet");
        }

        private static void Agree(bool matches, DecodeResult got, DecodeResult expected, string decoder)
        {
            if (matches ? got != expected : got != DecodeResult.WrongPacketType)
            {
                throw new FuzzFailure(decoder + " decoder said " + got + " where " + (matches ? expected.ToString() : "WrongPacketType") + " was due");
            }
        }

        /// <summary>Every accepted packet re-encodes to the same body (the header may have been non-minimal) and decodes again.</summary>
        private void RoundTrip(byte[] buf, int off, FixedHeader h)
        {
            int bodyStart = off + h.HeaderLength;
            int end = off + h.TotalLength;
            int n;
            int ignoreAt = -1;
            switch (h.Type)
            {
                case PacketType.Connect:
                {
                    ConnectView v = _connect;
                    ConnectPacket.Decode(buf, off, h, v);
                    Inside(v.ClientIdOffset, v.ClientIdLength, bodyStart, end);
                    if (v.HasWill)
                    {
                        Inside(v.WillTopicOffset, v.WillTopicLength, bodyStart, end);
                        Inside(v.WillMessageOffset, v.WillMessageLength, bodyStart, end);
                    }

                    if (v.HasUsername)
                    {
                        Inside(v.UsernameOffset, v.UsernameLength, bodyStart, end);
                    }

                    if (v.HasPassword)
                    {
                        Inside(v.PasswordOffset, v.PasswordLength, bodyStart, end);
                    }

                    n = ConnectPacket.Encode(encoded, 0, encoded.Length, v, buf);
                    // 3.1 leaves bit 0 of the connect flags unused without forbidding it: the encoder writes 0.
                    int nameLen = (buf[bodyStart] << 8) | buf[bodyStart + 1];
                    if (v.ProtocolLevel == ProtocolLevel.V31)
                    {
                        ignoreAt = 2 + nameLen + 1;
                    }

                    break;
                }
                case PacketType.Connack:
                {
                    ConnackView v = _connack;
                    ConnackPacket.Decode(buf, off, h, v);
                    n = ConnackPacket.Encode(encoded, 0, encoded.Length, v.SessionPresent, v.ReturnCode);
                    break;
                }
                case PacketType.Publish:
                {
                    PublishView v = _publish;
                    PublishPacket.Decode(buf, off, h, v);
                    Inside(v.TopicOffset, v.TopicLength, bodyStart, end);
                    Inside(v.PayloadOffset, v.PayloadLength, bodyStart, end);
                    Require(v.PayloadOffset + v.PayloadLength == end, "PUBLISH payload does not end the packet", DecodeResult.Ok);
                    n = PublishPacket.Encode(encoded, 0, encoded.Length, v.Qos, v.Dup, v.Retain, v.PacketId,
                        buf, v.TopicOffset, v.TopicLength, buf, v.PayloadOffset, v.PayloadLength);
                    break;
                }
                case PacketType.Subscribe:
                case PacketType.Unsubscribe:
                    CheckEntries(buf, off, h, bodyStart, end);
                    return;
                case PacketType.Suback:
                {
                    SubackView v = _suback;
                    SubackPacket.Decode(buf, off, h, v);
                    Inside(v.ReturnCodesOffset, v.ReturnCodesLength, bodyStart, end);
                    n = SubackPacket.Encode(encoded, 0, encoded.Length, v.PacketId, buf, v.ReturnCodesOffset, v.ReturnCodesLength);
                    break;
                }
                case PacketType.Pingreq:
                case PacketType.Pingresp:
                case PacketType.Disconnect:
                    n = EmptyPacket.Encode(encoded, 0, encoded.Length, h.Type);
                    break;
                default:
                {
                    ushort id;
                    AckPacket.Decode(buf, off, h, out id);
                    n = AckPacket.Encode(encoded, 0, encoded.Length, h.Type, id);
                    break;
                }
            }

            CompareBodies(buf, bodyStart, end, n, ignoreAt, h);
        }

        private void CompareBodies(byte[] buf, int bodyStart, int end, int n, int ignoreAt, FixedHeader h)
        {
            Require(n > 0, "re-encoding refused", DecodeResult.Ok);
            FixedHeader e = _encodedHeader;
            Require(Framing.ReadHeader(encoded, 0, n, 0, e) == DecodeResult.Ok && e.TotalLength == n, "re-encoded header unreadable", DecodeResult.Ok);
            Require(e.Type == h.Type && e.Flags == h.Flags, "re-encoded flags differ", DecodeResult.Ok);
            Require(e.RemainingLength == end - bodyStart, "re-encoded length differs", DecodeResult.Ok);
            for (int i = 0; i < e.RemainingLength; i++)
            {
                byte a = buf[bodyStart + i];
                byte b = encoded[e.HeaderLength + i];
                if (i == ignoreAt)
                {
                    a &= 0xFE;
                }

                if (a != b)
                {
                    throw new FuzzFailure("re-encoded body differs at byte " + i + " of packet type " + h.Type);
                }
            }

            Require(_packet.Validate(encoded, 0, e) == DecodeResult.Ok, "re-encoded packet invalid", DecodeResult.Ok);
        }

        private void CheckEntries(byte[] buf, int off, FixedHeader h, int bodyStart, int end)
        {
            int cursor;
            int entriesEnd;
            int count;
            bool subscribe = h.Type == PacketType.Subscribe;
            if (subscribe)
            {
                SubscribeView v = _subscribe;
                SubscribePacket.Decode(buf, off, h, v);
                cursor = v.EntriesOffset;
                entriesEnd = v.EntriesEnd;
                count = v.Count;
            }
            else
            {
                UnsubscribeView v = _unsubscribe;
                UnsubscribePacket.Decode(buf, off, h, v);
                cursor = v.EntriesOffset;
                entriesEnd = v.EntriesEnd;
                count = v.Count;
            }

            Require(cursor == bodyStart + 2 && entriesEnd == end && count >= 1, "entry bounds wrong", DecodeResult.Ok);
            int seen = 0;
            while (cursor < entriesEnd)
            {
                int filter, filterLength;
                if (subscribe)
                {
                    byte qos;
                    SubscribePacket.NextEntry(buf, ref cursor, out filter, out filterLength, out qos);
                    Require(qos <= 2, "requested QoS above 2 accepted", DecodeResult.Ok);
                }
                else
                {
                    UnsubscribePacket.NextEntry(buf, ref cursor, out filter, out filterLength);
                }

                Inside(filter, filterLength, bodyStart, end);
                Require(Topic.ValidateFilter(buf, filter, filterLength) == DecodeResult.Ok, "invalid filter accepted", DecodeResult.Ok);
                seen++;
            }

            Require(cursor == entriesEnd && seen == count, "entries do not add up to Count", DecodeResult.Ok);
        }

        private static void Inside(int offset, int length, int start, int end)
        {
            Require(length >= 0 && offset >= start && offset + length <= end, "field outside the packet", DecodeResult.Ok);
        }

        private static void Require(bool condition, string what, DecodeResult verdict)
        {
            if (!condition)
            {
                throw new FuzzFailure(what + " (verdict " + verdict + ")");
            }
        }
    }
}
