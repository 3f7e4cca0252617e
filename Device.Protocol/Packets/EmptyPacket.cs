namespace Device.Protocol
{
    /// <summary>PINGREQ (3.12), PINGRESP (3.13) and DISCONNECT (3.14): a fixed header with flags 0 and nothing else.</summary>
    public static class EmptyPacket
    {
        public const int Size = 2;

        public static bool IsEmptyType(byte packetType)
        {
            return packetType == PacketType.Pingreq || packetType == PacketType.Pingresp || packetType == PacketType.Disconnect;
        }

        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header)
        {
            if (!IsEmptyType(header.Type))
            {
                return DecodeResult.WrongPacketType;
            }

            DecodeResult r = Wire.CheckHeader(buffer, packetOffset, header, header.Type);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            return header.RemainingLength == 0 ? DecodeResult.Ok : DecodeResult.LengthMismatch;
        }

        /// <summary>Writes the 2 bytes; returns 2, or -2 when capacity is too small.</summary>
        public static int Encode(byte[] dst, int offset, int capacity, byte packetType)
        {
            if (!IsEmptyType(packetType))
            {
                throw new System.ArgumentException("packetType");
            }

            if (capacity < Size)
            {
                return -Size;
            }

            dst[offset] = (byte)(packetType << 4);
            dst[offset + 1] = 0;
            return Size;
        }
    }
}
