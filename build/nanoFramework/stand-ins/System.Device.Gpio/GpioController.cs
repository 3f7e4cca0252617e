namespace System.Device.Gpio
{
    /// <summary>Stand-in of nanoFramework's GpioController: opens pins by their logical number.</summary>
    public sealed class GpioController : IDisposable
    {
        public GpioController()
        {
        }

        public GpioPin OpenPin(int pinNumber, PinMode mode)
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
