namespace System.Device.Gpio
{
    /// <summary>
    /// Stand-in of nanoFramework's PinValue: a readonly struct in the real package too (one byte, 0 or 1), so an app that
    /// writes a pin pays one value copy per write; the samples keep that off the broker's path (docs/PLATFORM.md).
    /// </summary>
    public readonly struct PinValue
    {
        private readonly byte _value;

        private PinValue(byte value)
        {
            _value = value;
        }

        public static PinValue High { get { return new PinValue(1); } }

        public static PinValue Low { get { return new PinValue(0); } }
    }
}
