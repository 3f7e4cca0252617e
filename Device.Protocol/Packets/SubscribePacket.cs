namespace Device.Protocol
{
    /// <summary>SUBSCRIBE (3.8): flags 0010, a packet id, then one or more (filter, requested QoS) entries.</summary>
    public static class SubscribePacket
    {
        /// <summary>Decodes into the caller's view and validates every entry, so NextEntry needs no checks.</summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, SubscribeView view)
        {
            int pos, end;
            ushort packetId;
            DecodeResult r = Wire.ReadIdAndList(buffer, packetOffset, header, PacketType.Subscribe, DecodeResult.NoTopicFilters,
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
                if (!Wire.ReadField(buffer, ref pos, end, out filterOffset, out filterLength) || pos >= end)
                {
                    return DecodeResult.LengthMismatch;
                }

                r = Topic.ValidateFilter(buffer, filterOffset, filterLength);
                if (r != DecodeResult.Ok)
                {
                    return r;
                }

                // Bits 7-2 are reserved ([MQTT-3-8.3-4]) and QoS 3 does not exist.
                if (buffer[pos] > 2)
                {
                    return DecodeResult.InvalidRequestedQos;
                }

                pos++;
                count++;
            }

            view.Count = count;
            return DecodeResult.Ok;
        }

        /// <summary>Reads the entry at cursor (start with view.EntriesOffset) and moves cursor past it.</summary>
        public static void NextEntry(byte[] buffer, ref int cursor, out int filterOffset, out int filterLength, out byte requestedQos)
        {
            int len = (buffer[cursor] << 8) | buffer[cursor + 1];
            filterOffset = cursor + 2;
            filterLength = len;
            requestedQos = buffer[cursor + 2 + len];
            cursor += 3 + len;
        }

        /// <summary>
        /// Encodes a SUBSCRIBE of filters[0..count) with requested qos[0..count). Returns the bytes written, or minus
        /// the size needed. Throws ArgumentException for count 0, packet id 0, QoS above 2 or a filter longer than
        /// 65535 bytes (caller bugs).
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, ushort packetId, byte[][] filters, byte[] qos, int count)
        {
            if (count <= 0 || packetId == 0)
            {
                throw new System.ArgumentException("count/packetId");
            }

            int remaining = 2;
            for (int i = 0; i < count; i++)
            {
                if (filters[i].Length > 65535 || qos[i] > 2)
                {
                    throw new System.ArgumentException("filter/qos");
                }

                remaining += 3 + filters[i].Length;
            }

            int total = Framing.PacketSize(remaining);
            if (total > capacity)
            {
                return -total;
            }

            int pos = offset + Framing.WriteHeader(dst, offset, (PacketType.Subscribe << 4) | 0x02, remaining);
            Wire.WriteUInt16(dst, pos, packetId);
            pos += 2;
            for (int i = 0; i < count; i++)
            {
                byte[] f = filters[i];
                pos = Wire.WriteField(dst, pos, f, 0, f.Length);
                dst[pos++] = qos[i];
            }

            return pos - offset;
        }
    }
}
