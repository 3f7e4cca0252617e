namespace System.Net.Security
{
    /// <summary>Stand-in of nanoFramework's SslProtocols (real values; no SSL3, no Default, and no TLS 1.3 in this version).</summary>
    [Flags]
    public enum SslProtocols
    {
        None = 0x00,
        Tls = 0x10,
        Tls11 = 0x20,
        Tls12 = 0x40,
    }
}
