using System.Collections.Generic;
using System;
using Device.Broker;
using Device.Protocol;

namespace Host.Tests
{
    /// <summary>One hostile input: the bytes a client sends and how the broker must end that connection.</summary>
    public sealed class Malformed
    {
        public string Name;

        /// <summary>Sent right after a valid CONNECT, or as the first packet when AsFirstPacket.</summary>
        public byte[] Bytes;
        public bool AsFirstPacket;
        public CloseReason Reason;

        /// <summary>The codec's verdict when Reason is ProtocolViolation; Ok otherwise.</summary>
        public DecodeResult Violation;

        public override string ToString()
        {
            return Name;
        }
    }

    /// <summary>
    /// A malformed packet for every rule of the codec's validation list (DecodeResult) a client can break, plus
    /// the packets that are well-formed but illegal at that point. Hand-written bytes: each breaks exactly one
    /// rule of an otherwise valid packet.
    /// </summary>
    public static class MalformedPackets
    {
        /// <summary>Verdicts no client can provoke, and why.</summary>
        public static readonly Dictionary<DecodeResult, string> Unreachable = new Dictionary<DecodeResult, string>
        {
            [DecodeResult.Ok] = "not a violation",
            [DecodeResult.NeedMore] = "not a violation: the broker waits (covered by the trickle and half-open tests)",
            [DecodeResult.WrongPacketType] = "a caller bug: the engine dispatches on the type before decoding",
        };

        /// <summary>
        /// Verdicts of server-to-client packets: a client sending CONNACK or SUBACK is refused for the type alone
        /// (UnexpectedPacket), whatever is inside, so their content rules are checked with malformed content.
        /// </summary>
        public static readonly DecodeResult[] ServerOnly =
        {
            DecodeResult.InvalidConnackFlags, DecodeResult.InvalidConnectReturnCode,
            DecodeResult.InvalidSubackReturnCode, DecodeResult.NoReturnCodes,
        };

        public static List<Malformed> All(int maxPacketSize)
        {
            var all = new List<Malformed>();
            void V(string name, DecodeResult verdict, params byte[] bytes) => all.Add(new Malformed
                { Name = name, Bytes = bytes, Reason = CloseReason.ProtocolViolation, Violation = verdict });
            void First(string name, DecodeResult verdict, params byte[] bytes) => all.Add(new Malformed
                { Name = name, Bytes = bytes, AsFirstPacket = true, Reason = CloseReason.ProtocolViolation, Violation = verdict });
            void Illegal(string name, bool first, params byte[] bytes) => all.Add(new Malformed
                { Name = name, Bytes = bytes, AsFirstPacket = first, Reason = CloseReason.UnexpectedPacket });

            // Fixed header.
            V("remaining length with a 5th byte", DecodeResult.MalformedRemainingLength, 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
            byte[] huge = { 0x30, 0, 0, 0, 0 };
            Framing.WriteHeader(huge, 0, 0x30, maxPacketSize);
            V("PUBLISH announcing MaxPacketSize bytes of body", DecodeResult.PacketTooLarge, huge);
            V("packet type 0", DecodeResult.UnknownPacketType, 0x00, 0x00);
            V("packet type 15", DecodeResult.UnknownPacketType, 0xF0, 0x00);
            V("SUBSCRIBE with flags 0000", DecodeResult.InvalidHeaderFlags, 0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00);
            V("PUBREL with flags 0000", DecodeResult.InvalidHeaderFlags, 0x60, 0x02, 0x00, 0x01);
            V("PUBACK with flags 0010", DecodeResult.InvalidHeaderFlags, 0x42, 0x02, 0x00, 0x01);
            V("UNSUBSCRIBE with flags 0000", DecodeResult.InvalidHeaderFlags, 0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61);
            V("PINGREQ with flags 0001", DecodeResult.InvalidHeaderFlags, 0xC1, 0x00);
            V("DISCONNECT with flags 0010", DecodeResult.InvalidHeaderFlags, 0xE2, 0x00);

            // PUBLISH, SUBSCRIBE, UNSUBSCRIBE and ack fields.
            V("PUBLISH QoS 3", DecodeResult.InvalidQos, 0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01);
            V("PUBLISH DUP on QoS 0", DecodeResult.DupOnQos0, 0x38, 0x03, 0x00, 0x01, 0x61);
            V("PUBLISH QoS 1 packet id 0", DecodeResult.ZeroPacketId, 0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00);
            V("SUBSCRIBE packet id 0", DecodeResult.ZeroPacketId, 0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 0x61, 0x00);
            V("PUBACK packet id 0", DecodeResult.ZeroPacketId, 0x40, 0x02, 0x00, 0x00);
            V("PUBLISH topic longer than the packet", DecodeResult.LengthMismatch, 0x30, 0x03, 0x00, 0x05, 0x61);
            V("PUBACK with 3 bytes", DecodeResult.LengthMismatch, 0x40, 0x03, 0x00, 0x01, 0x00);
            V("PINGREQ with a body", DecodeResult.LengthMismatch, 0xC0, 0x01, 0x00);
            V("SUBSCRIBE entry without its QoS", DecodeResult.LengthMismatch, 0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61);
            V("PUBLISH topic C0 80 (overlong)", DecodeResult.InvalidUtf8, 0x30, 0x05, 0x00, 0x03, 0x61, 0xC0, 0x80);
            V("PUBLISH topic with U+0000", DecodeResult.Utf8NullCharacter, 0x30, 0x04, 0x00, 0x02, 0x61, 0x00);
            V("PUBLISH topic with a surrogate", DecodeResult.Utf8Surrogate, 0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80);
            V("PUBLISH topic a/+", DecodeResult.WildcardInTopicName, 0x30, 0x05, 0x00, 0x03, 0x61, 0x2F, 0x2B);
            V("PUBLISH empty topic", DecodeResult.EmptyTopic, 0x30, 0x03, 0x00, 0x00, 0x78);
            V("SUBSCRIBE empty filter", DecodeResult.EmptyTopic, 0x82, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00);
            V("SUBSCRIBE filter a/#/b", DecodeResult.InvalidTopicFilter, 0x82, 0x0A, 0x00, 0x01, 0x00, 0x05, 0x61, 0x2F, 0x23, 0x2F, 0x62, 0x00);
            V("UNSUBSCRIBE filter a+", DecodeResult.InvalidTopicFilter, 0xA2, 0x06, 0x00, 0x01, 0x00, 0x02, 0x61, 0x2B);
            V("SUBSCRIBE without filters", DecodeResult.NoTopicFilters, 0x82, 0x02, 0x00, 0x01);
            V("UNSUBSCRIBE without filters", DecodeResult.NoTopicFilters, 0xA2, 0x02, 0x00, 0x01);
            V("SUBSCRIBE QoS 3", DecodeResult.InvalidRequestedQos, 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x03);
            // 249 separators: 250 levels, beyond Mosquitto's hierarchy limit (and both profiles' MaxTopicLevels).
            byte[] deep = new byte[3 + 2 + 249];
            deep[0] = 0x30;
            deep[1] = 0xFB;
            deep[2] = 0x01;
            deep[4] = 249;
            for (int i = 5; i < deep.Length; i++)
            {
                deep[i] = (byte)'/';
            }

            V("PUBLISH topic of 250 levels", DecodeResult.TooManyTopicLevels, deep);

            // CONNECT (the first packet).
            First("CONNECT protocol MQTX", DecodeResult.UnknownProtocolName, Connect("MQTX", 4, 0x02));
            First("CONNECT reserved flag", DecodeResult.ConnectReservedFlag, Connect("MQTT", 4, 0x03));
            First("CONNECT will QoS without will", DecodeResult.WillFlagsWithoutWill, Connect("MQTT", 4, 0x0A));
            First("CONNECT will QoS 3", DecodeResult.InvalidWillQos, 0x10, 0x15, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x1E, 0x00, 0x3C,
                0x00, 0x01, 0x78, 0x00, 0x01, 0x77, 0x00, 0x01, 0x6D, 0x00, 0x00);
            First("CONNECT password without user name", DecodeResult.PasswordWithoutUsername, Connect("MQTT", 4, 0x42));
            First("CONNECT client id with U+0000", DecodeResult.Utf8NullCharacter, 0x10, 0x0D, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02,
                0x00, 0x3C, 0x00, 0x01, 0x00);
            all.Add(new Malformed { Name = "CONNECT level 5", Bytes = Connect("MQTT", 5, 0x02), AsFirstPacket = true, Reason = CloseReason.ConnectRefused });

            // Well-formed, but not allowed from a client or not at this point.
            Illegal("PUBLISH before CONNECT", true, 0x30, 0x03, 0x00, 0x01, 0x61);
            Illegal("PINGREQ before CONNECT", true, 0xC0, 0x00);
            Illegal("a second CONNECT", false, Connect("MQTT", 4, 0x02));
            Illegal("CONNACK from a client (InvalidConnackFlags)", false, 0x20, 0x02, 0xFE, 0x00);
            Illegal("CONNACK from a client (InvalidConnectReturnCode)", false, 0x20, 0x02, 0x00, 0x06);
            Illegal("SUBACK from a client (InvalidSubackReturnCode)", false, 0x90, 0x03, 0x00, 0x01, 0x03);
            Illegal("SUBACK from a client (NoReturnCodes)", false, 0x90, 0x02, 0x00, 0x01);
            Illegal("UNSUBACK from a client", false, 0xB0, 0x02, 0x00, 0x01);
            Illegal("PINGRESP from a client", false, 0xD0, 0x00);
            return all;
        }

        /// <summary>CONNECT with client id "x", keep-alive 60 and the given name, level and flags (no will, user or password fields).</summary>
        private static byte[] Connect(string name, byte level, byte flags)
        {
            var b = new List<byte> { 0x10, 0 };
            b.Add(0);
            b.Add((byte)name.Length);
            foreach (char ch in name)
            {
                b.Add((byte)ch);
            }

            b.AddRange(new byte[] { level, flags, 0x00, 0x3C, 0x00, 0x01, 0x78 });
            b[1] = (byte)(b.Count - 2);
            return b.ToArray();
        }
    }
}
