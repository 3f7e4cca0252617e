namespace Device.Broker
{
    /// <summary>
    /// Where the board store keeps its two images (segments 0 and 1): two files on nanoFramework's internal flash file
    /// system (I:\), a flash partition, or a file on the PC for tests. A new image is Begin, Write... in order, End; any
    /// of them may fail (false) or never return (power cut), which the store survives because it never touches the other
    /// segment while writing one (docs/PERSISTENCE.md, "Board").
    /// </summary>
    public interface IStoreMedium
    {
        /// <summary>Bytes in the segment (0 when empty or missing).</summary>
        int Length(int segment);

        /// <summary>Reads up to count bytes at offset into buffer; how many were read.</summary>
        int Read(int segment, int offset, byte[] buffer, int at, int count);

        /// <summary>Empties the segment for a new image (erase, or truncate the file).</summary>
        bool Begin(int segment);

        /// <summary>Appends to the segment.</summary>
        bool Write(int segment, byte[] buffer, int at, int count);

        /// <summary>Makes what was written durable (flush the file).</summary>
        bool End(int segment);
    }
}
