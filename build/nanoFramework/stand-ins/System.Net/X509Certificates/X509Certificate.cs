namespace System.Security.Cryptography.X509Certificates
{
    /// <summary>
    /// Stand-in of nanoFramework's X509Certificate (compile-only). The real one hands the bytes to mbedTLS as they are:
    /// DER, or PEM ending with a 0 byte (the string constructors add it).
    /// </summary>
    public class X509Certificate
    {
        public X509Certificate()
        {
        }

        public X509Certificate(byte[] certificate)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public X509Certificate(string certificate)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public virtual string Issuer { get { throw new NotSupportedException("compile-only stand-in"); } }

        public virtual string Subject { get { throw new NotSupportedException("compile-only stand-in"); } }
    }
}
