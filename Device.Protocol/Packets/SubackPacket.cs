namespace Device.Protocol
{
    /// <summary>SUBACK (3.9): a packet id and one return code per requested filter.</summary>
    public static class SubackPacket
    {
        /// <summary>Decodes into the caller's view.</summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, SubackView view)
        {
            int pos, end;
            ushort packetId;
            DecodeResult r = Wire.ReadIdAndList(buffer, packetOffset, header, PacketType.Suback, DecodeResult.NoReturnCodes,
                out packetId, out pos, out end);
            view.PacketId = packetId;
            view.ReturnCodesOffset = pos;
            view.ReturnCodesLength = end - pos;
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            for (; pos < end; pos++)
            {
                byte code = buffer[pos];
                if (code > 2 && code != SubackCode.Failure)
                {
                    return DecodeResult.InvalidSubackReturnCode;
                }
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// Encodes a SUBACK with codes[codesOff..codesOff+count). Returns the bytes written, or minus the size needed.
        /// To a 3.1 client, send granted QoS only: 0x80 exists from 3.1.1 on.
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, ushort packetId, byte[] codes, int codesOff, int count)
        {
            if (count <= 0 || packetId == 0)
            {
                throw new System.ArgumentException("count/packetId");
            }

            int remaining = 2 + count;
            int total = Framing.PacketSize(remaining);
            if (total > capacity)
            {
                return -total;
            }

            int pos = offset + Framing.WriteHeader(dst, offset, PacketType.Suback << 4, remaining);
            Wire.WriteUInt16(dst, pos, packetId);
            pos += 2;
            System.Array.Copy(codes, codesOff, dst, pos, count);
            return pos + count - offset;
        }
    }
}
