namespace Device.Protocol
{
    /// <summary>
    /// The fixed header of one packet, filled by <see cref="Framing.ReadHeader"/>. A class the caller allocates once and
    /// reuses for every packet: on nanoCLR every struct instance is a heap block, so a struct header would allocate per
    /// packet (docs/ARCHITECTURE.md, "What a routed message executes"). Its fields are meaningful after ReadHeader
    /// returned Ok or PacketTooLarge, until the next ReadHeader into the same instance.
    /// </summary>
    public sealed class FixedHeader
    {
        /// <summary>Packet type, 1..14 (see <see cref="PacketType"/>).</summary>
        public byte Type;

        /// <summary>Low nibble of the first byte.</summary>
        public byte Flags;

        /// <summary>1 + the number of remaining-length bytes (2..5).</summary>
        public int HeaderLength;

        public int RemainingLength;

        /// <summary>Bytes the whole packet occupies, header included: HeaderLength + RemainingLength (a field, as a
        /// property read would be a call the interpreter pays for on every packet).</summary>
        public int TotalLength;

        /// <summary>Sets every field at once (tools and tests that build a header by hand).</summary>
        public void Set(byte type, byte flags, int headerLength, int remainingLength)
        {
            Type = type;
            Flags = flags;
            HeaderLength = headerLength;
            RemainingLength = remainingLength;
            TotalLength = headerLength + remainingLength;
        }
    }
}
