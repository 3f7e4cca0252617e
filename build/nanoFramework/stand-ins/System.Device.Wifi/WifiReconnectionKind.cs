namespace System.Device.Wifi
{
    /// <summary>Stand-in of nanoFramework's WifiReconnectionKind (same members and order as the real enum).</summary>
    public enum WifiReconnectionKind
    {
        Automatic,
        Manual
    }
}
