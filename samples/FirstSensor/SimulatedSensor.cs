namespace Samples.FirstSensor
{
    /// <summary>
    /// A temperature for a board with no sensor attached: a slow saw-tooth between 18.0 and 21.9 °C, as ASCII text.
    /// Replace it with your sensor's driver.
    /// </summary>
    internal sealed class SimulatedSensor
    {
        private int _step;

        public byte[] ReadAscii()
        {
            _step = (_step + 1) % 40;
            int tenths = 180 + _step;
            return new byte[] { (byte)('0' + tenths / 100), (byte)('0' + tenths / 10 % 10), (byte)'.', (byte)('0' + tenths % 10) };
        }
    }
}
