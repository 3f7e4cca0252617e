namespace System.Net.Sockets
{
    /// <summary>Stand-in of nanoFramework's SocketOptionLevel: every member, in the real order, with the real values.</summary>
    public enum SocketOptionLevel
    {
        Socket = 0xffff,
        IP = ProtocolType.IP,
        IPv6 = ProtocolType.IPv6,
        Tcp = ProtocolType.Tcp,
        Udp = ProtocolType.Udp,
    }
}
