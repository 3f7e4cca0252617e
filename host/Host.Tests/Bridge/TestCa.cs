using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A certificate authority made by the test (ECDSA P-256, one day): writes its certificate and issues server and
    /// client certificates as PEM files that mosquitto (OpenSSL) and our bridge (.NET) both read.
    /// </summary>
    public sealed class TestCa : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private readonly X509Certificate2 _cert;

        public TestCa(string name)
        {
            CertificateRequest r = new CertificateRequest("CN=" + name, _key, HashAlgorithmName.SHA256);
            r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            r.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            r.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(r.PublicKey, false));
            _cert = r.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        }

        /// <summary>Writes the CA certificate (what bridge_cafile and mosquitto's cafile name).</summary>
        public string WriteCa(string folder, string file)
        {
            string path = Path.Combine(folder, file);
            File.WriteAllText(path, _cert.ExportCertificatePem());
            return path;
        }

        /// <summary>Issues a certificate for dnsName (server or client use); writes stem.pem and stem.key, returns the stem's path.</summary>
        public string Issue(string folder, string stem, string dnsName, bool server)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest r = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
            SubjectAlternativeNameBuilder san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            r.CertificateExtensions.Add(san.Build());
            r.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            r.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
            r.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") }, false));
            byte[] serial = new byte[8];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
            using X509Certificate2 cert = r.Create(_cert, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
            string path = Path.Combine(folder, stem);
            File.WriteAllText(path + ".pem", cert.ExportCertificatePem());
            File.WriteAllText(path + ".key", key.ExportPkcs8PrivateKeyPem());
            return path;
        }

        public void Dispose()
        {
            _cert.Dispose();
            _key.Dispose();
        }
    }
}
