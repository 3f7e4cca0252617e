namespace Device.Protocol
{
    /// <summary>
    /// The packets that carry nothing but a packet identifier: PUBACK (3.4), PUBREC (3.5), PUBREL (3.6),
    /// PUBCOMP (3.7) and UNSUBACK (3.11). Always 4 bytes; PUBREL's flags are 0010, the others' 0000.
    /// </summary>
    public static class AckPacket
    {
        public const int Size = 4;

        public static bool IsAckType(byte packetType)
        {
            return (packetType >= PacketType.Puback && packetType <= PacketType.Pubcomp) || packetType == PacketType.Unsuback;
        }

        /// <summary>Decodes any of the five ack types (header.Type says which).</summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, out ushort packetId)
        {
            packetId = 0;
            if (!IsAckType(header.Type))
            {
                return DecodeResult.WrongPacketType;
            }

            DecodeResult r = Wire.CheckHeader(buffer, packetOffset, header, header.Type);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            if (header.RemainingLength != 2)
            {
                return DecodeResult.LengthMismatch;
            }

            packetId = Wire.ReadUInt16(buffer, packetOffset + header.HeaderLength);
            return packetId == 0 ? DecodeResult.ZeroPacketId : DecodeResult.Ok;
        }

        /// <summary>
        /// Writes the 4-byte ack of the given type with its mandatory flags; returns 4, or -4 when capacity is too
        /// small. Throws ArgumentException for a type that is not an ack or packet id 0 (caller bugs).
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, byte packetType, ushort packetId)
        {
            if (!IsAckType(packetType))
            {
                throw new System.ArgumentException("packetType");
            }

            if (packetId == 0)
            {
                throw new System.ArgumentException("packetId");
            }

            if (capacity < Size)
            {
                return -Size;
            }

            dst[offset] = (byte)((packetType << 4) | (packetType == PacketType.Pubrel ? 0x02 : 0x00));
            dst[offset + 1] = 2;
            Wire.WriteUInt16(dst, offset + 2, packetId);
            return Size;
        }
    }
}
