namespace Samples.Gateway
{
    /// <summary>
    /// Formats a reading in tenths ("21.7") into one buffer made at start-up: no string and no array per reading.
    /// </summary>
    internal sealed class Reading
    {
        public readonly byte[] Bytes = new byte[12];

        /// <summary>Writes the value into <see cref="Bytes"/>; returns the length.</summary>
        public int Format(int tenths)
        {
            int n = 0;
            if (tenths < 0)
            {
                Bytes[n++] = (byte)'-';
                tenths = -tenths;
            }

            int whole = tenths / 10;
            int start = n;
            do
            {
                Bytes[n++] = (byte)('0' + whole % 10);
                whole /= 10;
            }
            while (whole > 0);

            // The digits came out least significant first.
            for (int i = start, j = n - 1; i < j; i++, j--)
            {
                byte t = Bytes[i];
                Bytes[i] = Bytes[j];
                Bytes[j] = t;
            }

            Bytes[n++] = (byte)'.';
            Bytes[n++] = (byte)('0' + tenths % 10);
            return n;
        }
    }
}
