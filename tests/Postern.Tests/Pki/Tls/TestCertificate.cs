using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki.Tls;

/// <summary>A test certificate with its private key, and its PEM forms.</summary>
internal sealed record TestCertificate(X509Certificate2 Certificate, AsymmetricAlgorithm Key)
{
    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    public string Pkcs8KeyPem => Key.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>BEGIN RSA PRIVATE KEY / BEGIN EC PRIVATE KEY, as older openssl writes them.</summary>
    public string TraditionalKeyPem => (Key is RSA rsa ? rsa.ExportRSAPrivateKeyPem() : ((ECDsa)Key).ExportECPrivateKeyPem()) + "\n";

    public string Fingerprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
