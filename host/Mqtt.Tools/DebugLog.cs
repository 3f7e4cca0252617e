using System.IO;
using System.Text;
using System;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>
    /// The -d output, worded like libmosquitto's log lines ("Client id sending PUBLISH (d0, q1, r0, m1, 't', ...
    /// (5 bytes))") so that logs of our tools and of mosquitto_pub/sub read the same. Decoded from the real bytes.
    /// </summary>
    public static class DebugLog
    {
        public static string Describe(string clientId, bool outgoing, byte[] b, int off, FixedHeader h)
        {
            string who = "Client " + (string.IsNullOrEmpty(clientId) ? "(null)" : clientId) + (outgoing ? " sending " : " received ");
            switch (h.Type)
            {
                case PacketType.Connect: return who + "CONNECT";
                case PacketType.Connack:
                    ConnackView c = new ConnackView();
                    ConnackPacket.Decode(b, off, h, c);
                    return who + "CONNACK (" + c.ReturnCode + ")";
                case PacketType.Publish:
                    PublishView p = new PublishView();
                    PublishPacket.Decode(b, off, h, p);
                    return who + "PUBLISH (d" + (p.Dup ? 1 : 0) + ", q" + p.Qos + ", r" + (p.Retain ? 1 : 0) + ", m" + p.PacketId +
                        ", '" + Utf8.Decode(b, p.TopicOffset, p.TopicLength) + "', ... (" + p.PayloadLength + " bytes))";
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                case PacketType.Unsuback:
                    ushort id;
                    AckPacket.Decode(b, off, h, out id);
                    return who + AckText(h.Type, id, outgoing);
                case PacketType.Subscribe: return SubscribeText(who, b, off, h);
                case PacketType.Suback: return who + "SUBACK";
                case PacketType.Unsubscribe: return who + "UNSUBSCRIBE";
                case PacketType.Pingreq: return who + "PINGREQ";
                case PacketType.Pingresp: return who + "PINGRESP";
                case PacketType.Disconnect: return who + "DISCONNECT";
                default: return who + "packet type " + h.Type;
            }
        }

        private static string AckText(byte type, ushort id, bool outgoing)
        {
            string name = type == PacketType.Puback ? "PUBACK" : type == PacketType.Pubrec ? "PUBREC"
                : type == PacketType.Pubrel ? "PUBREL" : type == PacketType.Pubcomp ? "PUBCOMP" : "UNSUBACK";
            if (outgoing)
            {
                // libmosquitto adds a reason code to the acks that can carry one in MQTT 5.
                bool rc = type == PacketType.Puback || type == PacketType.Pubrec;
                return name + " (m" + id + (rc ? ", rc0)" : ")");
            }

            bool withRc = type == PacketType.Puback || type == PacketType.Pubcomp;
            return name + " (Mid: " + id + (withRc ? ", RC:0)" : ")");
        }

        /// <summary>One line per filter, as libmosquitto logs a multi-topic SUBSCRIBE.</summary>
        private static string SubscribeText(string who, byte[] b, int off, FixedHeader h)
        {
            SubscribeView v = new SubscribeView();
            if (SubscribePacket.Decode(b, off, h, v) != DecodeResult.Ok)
            {
                return who + "SUBSCRIBE";
            }

            StringBuilder sb = new StringBuilder();
            int c = v.EntriesOffset;
            while (c < v.EntriesEnd)
            {
                int f, length;
                byte qos;
                SubscribePacket.NextEntry(b, ref c, out f, out length, out qos);
                if (sb.Length > 0)
                {
                    sb.Append('\n');
                }

                sb.Append(who).Append("SUBSCRIBE (Mid: ").Append(v.PacketId).Append(", Topic: ")
                    .Append(Utf8.Decode(b, f, length)).Append(", QoS: ").Append(qos).Append(", Options: 0x00)");
            }

            return sb.ToString();
        }

        public static string ConnackText(byte code)
        {
            switch (code)
            {
                case 0: return "Connection Accepted.";
                case 1: return "Connection Refused: unacceptable protocol version.";
                case 2: return "Connection Refused: identifier rejected.";
                case 3: return "Connection Refused: broker unavailable.";
                case 4: return "Connection Refused: bad user name or password.";
                case 5: return "Connection Refused: not authorised.";
                default: return "Connection Refused: unknown reason.";
            }
        }
    }
}
