using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// A fresh certificate key for one order (never reused across issuances, as certbot's default and
/// Let's Encrypt's advice) and its PKCS#10 request: the first domain as CN, every domain as a SAN.
/// </summary>
internal static class CertificateKey
{
    public static AsymmetricAlgorithm Create(AcmeKeyTypes keyType) => keyType switch
    {
        AcmeKeyTypes.Ecdsa => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        AcmeKeyTypes.Rsa => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "one key type at a time"),
    };

    public static byte[] Request(AsymmetricAlgorithm key, IReadOnlyList<string> domains)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(domains[0]);
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject.Build(), ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDSA or RSA keys only", nameof(key)),
        };
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains)
        {
            names.AddDnsName(domain);
        }
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }

    /// <summary>Whether <paramref name="leaf"/> certifies <paramref name="key"/> (same public key).</summary>
    public static bool Matches(X509Certificate2 leaf, AsymmetricAlgorithm key) =>
        leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
}
