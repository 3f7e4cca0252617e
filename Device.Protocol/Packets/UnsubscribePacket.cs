namespace Device.Protocol
{
    /// <summary>UNSUBSCRIBE (3.10): flags 0010, a packet id, then one or more topic filters.</summary>
    public static class UnsubscribePacket
    {
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, UnsubscribeView view)
        {
            int pos, end;
            ushort packetId;
            DecodeResult r = Wire.ReadIdAndList(buffer, packetOffset, header, PacketType.Unsubscribe, DecodeResult.NoTopicFilters,
                out packetId, out pos, out end);
            view.PacketId = packetId;
            view.EntriesOffset = pos;
            view.EntriesEnd = end;
            view.Count = 0;
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            int count = 0;
            while (pos < end)
            {
                int filterOffset, filterLength;
                if (!Wire.ReadField(buffer, ref pos, end, out filterOffset, out filterLength))
                {
                    return DecodeResult.LengthMismatch;
                }

                r = Topic.ValidateFilter(buffer, filterOffset, filterLength);
                if (r != DecodeResult.Ok)
                {
                    return r;
                }

                count++;
            }

            view.Count = count;
            return DecodeResult.Ok;
        }

        /// <summary>Reads the filter at cursor (start with view.EntriesOffset) and moves cursor past it.</summary>
        public static void NextEntry(byte[] buffer, ref int cursor, out int filterOffset, out int filterLength)
        {
            int len = (buffer[cursor] << 8) | buffer[cursor + 1];
            filterOffset = cursor + 2;
            filterLength = len;
            cursor += 2 + len;
        }

        /// <summary>Encodes an UNSUBSCRIBE of filters[0..count). Returns the bytes written, or minus the size needed.</summary>
        public static int Encode(byte[] dst, int offset, int capacity, ushort packetId, byte[][] filters, int count)
        {
            if (count <= 0 || packetId == 0)
            {
                throw new System.ArgumentException("count/packetId");
            }

            int remaining = 2;
            for (int i = 0; i < count; i++)
            {
                if (filters[i].Length > 65535)
                {
                    throw new System.ArgumentException("filter");
                }

                remaining += 2 + filters[i].Length;
            }

            int total = Framing.PacketSize(remaining);
            if (total > capacity)
            {
                return -total;
            }

            int pos = offset + Framing.WriteHeader(dst, offset, (PacketType.Unsubscribe << 4) | 0x02, remaining);
            Wire.WriteUInt16(dst, pos, packetId);
            pos += 2;
            for (int i = 0; i < count; i++)
            {
                byte[] f = filters[i];
                pos = Wire.WriteField(dst, pos, f, 0, f.Length);
            }

            return pos - offset;
        }
    }
}
