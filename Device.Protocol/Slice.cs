namespace Device.Protocol
{
    /// <summary>
    /// A view into a caller's buffer: decoding hands these out instead of copying, so a packet costs no
    /// allocation. Offsets are absolute indexes into the buffer the packet was decoded from, so a slice is
    /// only meaningful while that buffer still holds the packet.
    /// </summary>
    public struct Slice
    {
        public int Offset;
        public int Length;

        public Slice(int offset, int length)
        {
            Offset = offset;
            Length = length;
        }

        /// <summary>One past the last byte.</summary>
        public int End { get { return Offset + Length; } }
    }
}
