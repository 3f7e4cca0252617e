namespace Device.Protocol
{
    /// <summary>PUBLISH (3.3). The fixed-header flags are DUP (bit 3), QoS (bits 2-1) and RETAIN (bit 0).</summary>
    public static class PublishPacket
    {
        public const byte FlagDup = 0x08;
        public const byte FlagRetain = 0x01;

        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, out PublishView view)
        {
            view = new PublishView();
            DecodeResult r = Wire.CheckHeader(buffer, packetOffset, header, PacketType.Publish);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            byte flags = header.Flags;
            int qos = (flags >> 1) & 0x03;
            if (qos == 3)
            {
                return DecodeResult.InvalidQos;
            }

            view.Qos = (byte)qos;
            view.Dup = (flags & FlagDup) != 0;
            view.Retain = (flags & FlagRetain) != 0;
            if (view.Dup && qos == 0)
            {
                return DecodeResult.DupOnQos0;
            }

            int pos = packetOffset + header.HeaderLength;
            int end = packetOffset + header.TotalLength;
            if (!Wire.ReadField(buffer, ref pos, end, out view.Topic))
            {
                return DecodeResult.LengthMismatch;
            }

            if (qos > 0)
            {
                if (end - pos < 2)
                {
                    return DecodeResult.LengthMismatch;
                }

                view.PacketId = Wire.ReadUInt16(buffer, pos);
                pos += 2;
                if (view.PacketId == 0)
                {
                    return DecodeResult.ZeroPacketId;
                }
            }

            r = Topic.ValidateName(buffer, view.Topic.Offset, view.Topic.Length);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            view.Payload = new Slice(pos, end - pos);
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
            int remaining = RemainingLength(qos, packetId, tLen, pLen);
            int total = Framing.PacketSize(remaining);
            if (total > capacity)
            {
                return -total;
            }

            int pos = WriteHeaders(dst, offset, remaining, qos, dup, retain, packetId, topic, tOff, tLen);
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
