namespace Device.Protocol
{
    /// <summary>Big-endian integers and length-prefixed fields (1.5.2, 1.5.3), shared by the packet codecs.</summary>
    internal static class Wire
    {
        public static ushort ReadUInt16(byte[] b, int pos)
        {
            return (ushort)((b[pos] << 8) | b[pos + 1]);
        }

        public static void WriteUInt16(byte[] b, int pos, int value)
        {
            b[pos] = (byte)(value >> 8);
            b[pos + 1] = (byte)value;
        }

        /// <summary>
        /// Reads a 2-byte length prefix and the bytes it announces (the field is b[offset..offset+length)); false when
        /// they run past end (the remaining length was too short for the field).
        /// </summary>
        public static bool ReadField(byte[] b, ref int pos, int end, out int offset, out int length)
        {
            if (end - pos < 2)
            {
                offset = pos;
                length = 0;
                return false;
            }

            int len = (b[pos] << 8) | b[pos + 1];
            pos += 2;
            offset = pos;
            length = len;
            if (end - pos < len)
            {
                return false;
            }

            pos += len;
            return true;
        }

        /// <summary>Writes a 2-byte length prefix and the bytes; returns the new position.</summary>
        public static int WriteField(byte[] dst, int pos, byte[] src, int srcOff, int len)
        {
            dst[pos] = (byte)(len >> 8);
            dst[pos + 1] = (byte)len;
            if (len > 0)
            {
                System.Array.Copy(src, srcOff, dst, pos + 2, len);
            }

            return pos + 2 + len;
        }

        /// <summary>
        /// Common checks every decoder starts with: right type, reserved flags, and the whole packet inside the
        /// buffer (a caller that decodes before the body arrived gets NeedMore, not an IndexOutOfRange).
        /// </summary>
        public static DecodeResult CheckHeader(byte[] buffer, int packetOffset, FixedHeader header, byte expectedType)
        {
            if (header.Type != expectedType)
            {
                return DecodeResult.WrongPacketType;
            }

            if (!Framing.FlagsValid(header.Type, header.Flags))
            {
                return DecodeResult.InvalidHeaderFlags;
            }

            if (packetOffset < 0 || header.HeaderLength < 2 || buffer.Length - packetOffset < header.TotalLength)
            {
                return DecodeResult.NeedMore;
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// The start SUBSCRIBE, SUBACK and UNSUBSCRIBE share: header checks, a non-zero packet id, then a list that
        /// must not be empty (whenEmpty names the rule). On Ok, the list runs from listStart to end.
        /// </summary>
        public static DecodeResult ReadIdAndList(byte[] buffer, int packetOffset, FixedHeader header, byte expectedType,
            DecodeResult whenEmpty, out ushort packetId, out int listStart, out int end)
        {
            packetId = 0;
            listStart = 0;
            end = 0;
            DecodeResult r = CheckHeader(buffer, packetOffset, header, expectedType);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            int pos = packetOffset + header.HeaderLength;
            end = packetOffset + header.TotalLength;
            if (end - pos < 2)
            {
                return DecodeResult.LengthMismatch;
            }

            packetId = ReadUInt16(buffer, pos);
            listStart = pos + 2;
            if (packetId == 0)
            {
                return DecodeResult.ZeroPacketId;
            }

            return listStart == end ? whenEmpty : DecodeResult.Ok;
        }
    }
}
