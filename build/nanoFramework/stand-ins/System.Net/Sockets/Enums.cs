namespace System.Net.Sockets
{
    // The members used here, with nanoFramework's values (they are Winsock's, as on desktop .NET).

    public enum AddressFamily
    {
        Unknown = -1,
        InterNetwork = 2,
    }

    public enum SocketType
    {
        Stream = 1,
        Unknown = -1,
    }

    public enum ProtocolType
    {
        IP = 0,
        Tcp = 6,
    }

    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2,
    }

    [Flags]
    public enum SocketFlags
    {
        None = 0x0000,
    }

    public enum SocketOptionLevel
    {
        Socket = 0xffff,
        IP = ProtocolType.IP,
        Tcp = ProtocolType.Tcp,
    }

    public enum SocketOptionName
    {
        ReuseAddress = 0x0004,
        KeepAlive = 0x0008,
        Linger = 0x0080,
        DontLinger = ~Linger,
        SendTimeout = 0x1005,
        ReceiveTimeout = 0x1006,
        NoDelay = 1,
    }

    public enum SocketError : int
    {
        Success = 0,
        SocketError = (-1),
        TooManyOpenSockets = (10000 + 24),
        WouldBlock = (10000 + 35),
        AddressAlreadyInUse = (10000 + 48),
        ConnectionAborted = (10000 + 53),
        ConnectionReset = (10000 + 54),
        NoBufferSpaceAvailable = (10000 + 55),
        NotConnected = (10000 + 57),
        TimedOut = (10000 + 60),
        ConnectionRefused = (10000 + 61),
    }
}
