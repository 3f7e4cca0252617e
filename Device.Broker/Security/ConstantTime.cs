using Device.Protocol;

namespace Device.Broker
{
    /// <summary>Comparison whose duration does not depend on where two byte strings differ.</summary>
    public static class ConstantTime
    {
        /// <summary>
        /// Equality of expected[..expectedLength) and given[..givenLength). Loops over the given length (the
        /// attacker's own input) and touches expected bytes by index modulo its length, so neither the
        /// position of the first difference nor the stored length changes the work done.
        /// </summary>
        public static bool Equals(byte[] expected, int expectedOffset, int expectedLength, byte[] given, int givenOffset, int givenLength)
        {
            int diff = expectedLength ^ givenLength;
            for (int i = 0; i < givenLength; i++)
            {
                int e = expectedLength == 0 ? 0 : expected[expectedOffset + i % expectedLength];
                diff |= e ^ given[givenOffset + i];
            }

            return diff == 0;
        }
    }
}
