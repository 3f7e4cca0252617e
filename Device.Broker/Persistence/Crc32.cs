namespace Device.Broker
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum of every persisted record. Bitwise, with no
    /// table: the 1 KB table would cost the board's budget, and records are written in batches, not per packet there.
    /// </summary>
    public static class Crc32
    {
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>Continues a running value (start with <see cref="Initial"/>, finish with <see cref="Finish"/>).</summary>
        public static uint Update(uint crc, byte[] data, int offset, int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                crc ^= data[i];
                for (int b = 0; b < 8; b++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }

            return crc;
        }

        public static uint Finish(uint crc)
        {
            return crc ^ 0xFFFFFFFF;
        }

        public static uint Compute(byte[] data, int offset, int length)
        {
            return Finish(Update(Initial, data, offset, length));
        }
    }
}
