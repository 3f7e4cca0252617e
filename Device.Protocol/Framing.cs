namespace Device.Protocol
{
    /// <summary>
    /// Splits a byte stream into packets without copying: the caller keeps its receive buffer, calls
    /// ReadHeader at the start of the unread bytes, and decodes once count reaches TotalLength.
    /// </summary>
    public static class Framing
    {
        /// <summary>Largest value the 4-byte variable length encoding can carry (2.2.3).</summary>
        public const int MaxRemainingLength = 268435455;

        /// <summary>
        /// Reads the fixed header at buffer[offset..offset+count) into the caller's header. Returns NeedMore while the
        /// length bytes are incomplete, Ok once the header is complete (the body may still be missing), or a violation.
        /// The header's fields are set on Ok and PacketTooLarge only. maxPacketSize &lt;= 0 means no limit besides the
        /// protocol's own.
        /// </summary>
        public static DecodeResult ReadHeader(byte[] buffer, int offset, int count, int maxPacketSize, FixedHeader header)
        {
            if (count <= 0)
            {
                return DecodeResult.NeedMore;
            }

            byte first = buffer[offset];
            int type = first >> 4;
            // The type is known from the first byte: reject garbage before waiting for more of it.
            if (type == 0 || type == 15)
            {
                return DecodeResult.UnknownPacketType;
            }

            int value = 0;
            int multiplier = 1;
            int i = 1;
            while (true)
            {
                if (i >= count)
                {
                    return DecodeResult.NeedMore;
                }

                byte b = buffer[offset + i];
                value += (b & 0x7F) * multiplier;
                i++;
                if ((b & 0x80) == 0)
                {
                    break;
                }

                // A continuation bit on the 4th length byte announces a 5th: malformed without waiting for it.
                if (i == 5)
                {
                    return DecodeResult.MalformedRemainingLength;
                }

                multiplier <<= 7;
            }

            header.Type = (byte)type;
            header.Flags = (byte)(first & 0x0F);
            header.HeaderLength = i;
            header.RemainingLength = value;
            header.TotalLength = i + value;

            if (maxPacketSize > 0 && i + value > maxPacketSize)
            {
                return DecodeResult.PacketTooLarge;
            }

            return DecodeResult.Ok;
        }

        /// <summary>Number of bytes (1..4) the variable length encoding of remainingLength takes.</summary>
        public static int RemainingLengthSize(int remainingLength)
        {
            if (remainingLength < 128)
            {
                return 1;
            }

            if (remainingLength < 16384)
            {
                return 2;
            }

            if (remainingLength < 2097152)
            {
                return 3;
            }

            return 4;
        }

        /// <summary>Total packet size for a given remaining length: first byte + length bytes + body.</summary>
        public static int PacketSize(int remainingLength)
        {
            return 1 + RemainingLengthSize(remainingLength) + remainingLength;
        }

        /// <summary>
        /// Writes the first byte and the minimal remaining-length encoding; returns the bytes written (2..5).
        /// The caller has already checked the capacity (every Encode does so before writing anything).
        /// </summary>
        public static int WriteHeader(byte[] dst, int offset, byte typeAndFlags, int remainingLength)
        {
            dst[offset] = typeAndFlags;
            int i = offset + 1;
            int value = remainingLength;
            do
            {
                int digit = value & 0x7F;
                value >>= 7;
                if (value > 0)
                {
                    digit |= 0x80;
                }

                dst[i++] = (byte)digit;
            }
            while (value > 0);

            return i - offset;
        }

        /// <summary>
        /// The fixed-header flags each packet type must carry ([MQTT-2.2.2-1]): 0010 for PUBREL, SUBSCRIBE and
        /// UNSUBSCRIBE, 0000 for the others. PUBLISH carries DUP/QoS/RETAIN and is checked by its decoder.
        /// </summary>
        public static bool FlagsValid(byte type, byte flags)
        {
            switch (type)
            {
                case PacketType.Publish:
                    return true;
                case PacketType.Pubrel:
                case PacketType.Subscribe:
                case PacketType.Unsubscribe:
                    return flags == 0x02;
                default:
                    return flags == 0;
            }
        }
    }
}
