namespace System.Device.Gpio
{
    /// <summary>Stand-in of nanoFramework's GpioPin: an open pin (from GpioController.OpenPin) that the app drives.</summary>
    public sealed class GpioPin : IDisposable
    {
        internal GpioPin(int pinNumber)
        {
        }

        public void Write(PinValue value)
        {
            throw Stub();
        }

        public void Dispose()
        {
            throw Stub();
        }

        private static Exception Stub()
        {
            return new NotSupportedException("compile-only stand-in");
        }
    }
}
