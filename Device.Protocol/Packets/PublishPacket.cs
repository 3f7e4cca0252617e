namespace Device.Protocol
{
    /// <summary>PUBLISH (3.3). The fixed-header flags are DUP (bit 3), QoS (bits 2-1) and RETAIN (bit 0).</summary>
    public static class PublishPacket
    {
        public const byte FlagDup = 0x08;
        public const byte FlagRetain = 0x01;

        /// <summary>
        /// Decodes the PUBLISH at buffer[packetOffset] into the caller's view (every field is set on Ok; on anything
        /// else the view is unspecified). This runs for every routed message, so the checks Wire.CheckHeader and
        /// Wire.ReadField make for the other packets are written out here: the interpreter pays for every call.
        /// </summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, PublishView view)
        {
            if (header.Type != PacketType.Publish)
            {
                return DecodeResult.WrongPacketType;
            }

            // Every flag combination but QoS 3 is meaningful (Framing.FlagsValid); the whole packet must be in the buffer.
            int headerLength = header.HeaderLength;
            int total = header.TotalLength;
            if (packetOffset < 0 || headerLength < 2 || buffer.Length - packetOffset < total)
            {
                return DecodeResult.NeedMore;
            }

            int flags = header.Flags;
            int qos = (flags >> 1) & 0x03;
            if (qos == 3)
            {
                return DecodeResult.InvalidQos;
            }

            bool dup = (flags & FlagDup) != 0;
            if (dup && qos == 0)
            {
                return DecodeResult.DupOnQos0;
            }

            int pos = packetOffset + headerLength;
            int end = packetOffset + total;
            if (end - pos < 2)
            {
                return DecodeResult.LengthMismatch;
            }

            int topicLength = (buffer[pos] << 8) | buffer[pos + 1];
            int topic = pos + 2;
            pos = topic + topicLength;
            if (pos > end)
            {
                return DecodeResult.LengthMismatch;
            }

            int packetId = 0;
            if (qos > 0)
            {
                if (end - pos < 2)
                {
                    return DecodeResult.LengthMismatch;
                }

                packetId = (buffer[pos] << 8) | buffer[pos + 1];
                pos += 2;
                if (packetId == 0)
                {
                    return DecodeResult.ZeroPacketId;
                }
            }

            DecodeResult r = Topic.ValidateName(buffer, topic, topicLength);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            view.Qos = (byte)qos;
            view.Dup = dup;
            view.Retain = (flags & FlagRetain) != 0;
            view.PacketId = (ushort)packetId;
            view.TopicOffset = topic;
            view.TopicLength = topicLength;
            view.PayloadOffset = pos;
            view.PayloadLength = end - pos;
            return DecodeResult.Ok;
        }

        /// <summary>
        /// Encodes a whole PUBLISH. Returns the bytes written, or minus the size needed (nothing written).
        /// packetId is ignored for QoS 0. Throws ArgumentException for QoS above 2, packet id 0 with QoS 1/2,
        /// or a topic longer than 65535 bytes (caller bugs).
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, byte qos, bool dup, bool retain, ushort packetId,
            byte[] topic, int tOff, int tLen, byte[] payload, int pOff, int pLen)
        {
            // The broker writes one PUBLISH per delivery: the header is written out here rather than through
            // RemainingLength/Framing/Wire, so a delivery costs two Array.Copy calls and no others.
            if (qos > 2 || (qos > 0 && packetId == 0) || tLen > 65535 || tLen < 0 || pLen < 0)
            {
                throw new System.ArgumentException("qos/packetId/length");
            }

            int remaining = 2 + tLen + (qos > 0 ? 2 : 0) + pLen;
            if (remaining > Framing.MaxRemainingLength || remaining < 0)
            {
                throw new System.ArgumentException("payload too large");
            }

            int total = (remaining < 128 ? 2 : remaining < 16384 ? 3 : remaining < 2097152 ? 4 : 5) + remaining;
            if (total > capacity)
            {
                return -total;
            }

            int first = (PacketType.Publish << 4) | (qos << 1);
            // DUP is meaningless (and forbidden) on QoS 0 ([MQTT-3.3.1-2]): drop it rather than emit a bad packet.
            if (dup && qos > 0)
            {
                first |= FlagDup;
            }

            if (retain)
            {
                first |= FlagRetain;
            }

            dst[offset] = (byte)first;
            int pos = offset + 1;
            int value = remaining;
            do
            {
                int digit = value & 0x7F;
                value >>= 7;
                dst[pos++] = (byte)(value > 0 ? digit | 0x80 : digit);
            }
            while (value > 0);

            dst[pos] = (byte)(tLen >> 8);
            dst[pos + 1] = (byte)tLen;
            pos += 2;
            if (tLen > 0)
            {
                System.Array.Copy(topic, tOff, dst, pos, tLen);
                pos += tLen;
            }

            if (qos > 0)
            {
                dst[pos] = (byte)(packetId >> 8);
                dst[pos + 1] = (byte)packetId;
                pos += 2;
            }

            if (pLen > 0)
            {
                System.Array.Copy(payload, pOff, dst, pos, pLen);
            }

            return pos + pLen - offset;
        }

        /// <summary>
        /// Encodes everything of a PUBLISH except the payload (fixed header, topic, packet id), for a writer that
        /// puts the payload after it itself (the load generator writes its own payload bytes). The broker does
        /// not use it: its transport sends one contiguous region per connection, so every PUBLISH is written
        /// whole into the transmit buffer with Encode. Returns the header bytes written, or minus the header
        /// size needed.
        /// </summary>
        public static int EncodeHeader(byte[] dst, int offset, int capacity, byte qos, bool dup, bool retain, ushort packetId,
            byte[] topic, int tOff, int tLen, int payloadLength)
        {
            int remaining = RemainingLength(qos, packetId, tLen, payloadLength);
            int headerSize = Framing.PacketSize(remaining) - payloadLength;
            if (headerSize > capacity)
            {
                return -headerSize;
            }

            return WriteHeaders(dst, offset, remaining, qos, dup, retain, packetId, topic, tOff, tLen) - offset;
        }

        private static int RemainingLength(byte qos, ushort packetId, int tLen, int pLen)
        {
            if (qos > 2)
            {
                throw new System.ArgumentException("qos");
            }

            if (qos > 0 && packetId == 0)
            {
                throw new System.ArgumentException("packetId");
            }

            if (tLen > 65535 || tLen < 0 || pLen < 0)
            {
                throw new System.ArgumentException("length");
            }

            int remaining = 2 + tLen + (qos > 0 ? 2 : 0) + pLen;
            if (remaining > Framing.MaxRemainingLength || remaining < 0)
            {
                throw new System.ArgumentException("payload too large");
            }

            return remaining;
        }

        private static int WriteHeaders(byte[] dst, int offset, int remaining, byte qos, bool dup, bool retain, ushort packetId,
            byte[] topic, int tOff, int tLen)
        {
            int first = (PacketType.Publish << 4) | (qos << 1);
            // DUP is meaningless (and forbidden) on QoS 0 ([MQTT-3.3.1-2]): drop it rather than emit a bad packet.
            if (dup && qos > 0)
            {
                first |= FlagDup;
            }

            if (retain)
            {
                first |= FlagRetain;
            }

            int pos = offset + Framing.WriteHeader(dst, offset, (byte)first, remaining);
            pos = Wire.WriteField(dst, pos, topic, tOff, tLen);
            if (qos > 0)
            {
                Wire.WriteUInt16(dst, pos, packetId);
                pos += 2;
            }

            return pos;
        }
    }
}
