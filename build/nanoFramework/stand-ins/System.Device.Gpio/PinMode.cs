namespace System.Device.Gpio
{
    /// <summary>Stand-in of nanoFramework's PinMode (same members and order as the real enum).</summary>
    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown
    }
}
