namespace System.Net.Security
{
    /// <summary>Stand-in of nanoFramework's SslVerification (real values).</summary>
    public enum SslVerification
    {
        NoVerification = 1,
        VerifyPeer = 2,
        CertificateRequired = 4,
        VerifyClientOnce = 8,
    }
}
