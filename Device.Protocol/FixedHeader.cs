namespace Device.Protocol
{
    /// <summary>The fixed header of one packet, as read by <see cref="Framing.ReadHeader"/>.</summary>
    public struct FixedHeader
    {
        /// <summary>Packet type, 1..14 (see <see cref="PacketType"/>).</summary>
        public byte Type;

        /// <summary>Low nibble of the first byte.</summary>
        public byte Flags;

        /// <summary>1 + the number of remaining-length bytes (2..5).</summary>
        public int HeaderLength;

        public int RemainingLength;

        /// <summary>Bytes the whole packet occupies, header included.</summary>
        public int TotalLength { get { return HeaderLength + RemainingLength; } }
    }
}
