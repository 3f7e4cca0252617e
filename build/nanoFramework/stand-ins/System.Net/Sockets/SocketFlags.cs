namespace System.Net.Sockets
{
    /// <summary>Stand-in of nanoFramework's SocketFlags: every member, in the real order, with the real values.</summary>
    [Flags]
    public enum SocketFlags
    {
        None = 0x0000,
        OutOfBand = 0x0001,
        Peek = 0x0002,
        DontRoute = 0x0004,
        MaxIOVectorLength = 0x0010,
        Truncated = 0x0100,
        ControlDataTruncated = 0x0200,
        Broadcast = 0x0400,
        Multicast = 0x0800,
        Partial = 0x8000,
    }
}
