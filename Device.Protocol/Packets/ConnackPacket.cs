namespace Device.Protocol
{
    /// <summary>CONNACK (3.2): always 4 bytes, 20 02 flags code.</summary>
    public static class ConnackPacket
    {
        public const int Size = 4;

        /// <summary>Decodes into the caller's view.</summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, ConnackView view)
        {
            view.SessionPresent = false;
            view.ReturnCode = 0;
            DecodeResult r = Wire.CheckHeader(buffer, packetOffset, header, PacketType.Connack);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            if (header.RemainingLength != 2)
            {
                return DecodeResult.LengthMismatch;
            }

            int pos = packetOffset + header.HeaderLength;
            byte ackFlags = buffer[pos];
            byte code = buffer[pos + 1];
            view.SessionPresent = (ackFlags & 0x01) != 0;
            view.ReturnCode = code;

            // Bits 7-1 are reserved (3.2.2.1); a refused connection never has a session ([MQTT-3.2.2-4]).
            if ((ackFlags & 0xFE) != 0 || (view.SessionPresent && code != ConnectReturnCode.Accepted))
            {
                return DecodeResult.InvalidConnackFlags;
            }

            if (code > ConnectReturnCode.NotAuthorized)
            {
                return DecodeResult.InvalidConnectReturnCode;
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// Writes the 4-byte CONNACK; returns 4, or -4 when capacity is too small. Session present is sent
        /// only with return code 0 ([MQTT-3.2.2-4]); to a 3.1 client pass false (3.1 has no such flag).
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, bool sessionPresent, byte returnCode)
        {
            if (capacity < Size)
            {
                return -Size;
            }

            dst[offset] = PacketType.Connack << 4;
            dst[offset + 1] = 2;
            dst[offset + 2] = (byte)(sessionPresent && returnCode == ConnectReturnCode.Accepted ? 1 : 0);
            dst[offset + 3] = returnCode;
            return Size;
        }
    }
}
