namespace System.Net.Sockets
{
    /// <summary>Stand-in of nanoFramework's SocketType: every member, in the real order, with the real values.</summary>
    public enum SocketType
    {
        Stream = 1,
        Dgram = 2,
        Raw = 3,
        Rdm = 4,
        Seqpacket = 5,
        Unknown = -1,
    }
}
