namespace Samples.Gateway
{
    /// <summary>
    /// A temperature sensor for a board with none attached: a slow saw-tooth between 20.0 and 23.9 °C. Replace
    /// ReadTenthsOfDegree with your sensor's driver (an I2C or 1-Wire read); the rest of the app stays as it is.
    /// </summary>
    internal sealed class SimulatedSensor
    {
        private int _step;

        public int ReadTenthsOfDegree()
        {
            _step = (_step + 1) % 40;
            return 200 + _step;
        }
    }
}
