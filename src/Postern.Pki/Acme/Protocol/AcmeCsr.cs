using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The certificate request of finalize (RFC 8555 7.4, PKCS#10 DER) and the keys it is made for:
/// every name as a DNS subjectAltName, the first also as the subject CN when it fits the 64
/// characters X.520 allows (certbot and lego do the same; a longer first name goes in the SANs only).
/// A fresh key for every issuance: ECDSA P-256 or RSA 2048.
/// </summary>
public static class AcmeCsr
{
    private const int MaxCommonNameLength = 64;

    /// <summary>A new certificate key of <paramref name="keyType"/> (one type, not both).</summary>
    public static AsymmetricAlgorithm CreateKey(AcmeKeyTypes keyType) => keyType switch
    {
        AcmeKeyTypes.Ecdsa => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        AcmeKeyTypes.Rsa => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "one key type at a time"),
    };

    /// <summary>The DER PKCS#10 request for <paramref name="domains"/>, signed with <paramref name="key"/> (SHA-256).</summary>
    public static byte[] Create(IReadOnlyList<string> domains, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(key);
        if (domains.Count == 0)
        {
            throw new ArgumentException("a certificate request needs at least one name", nameof(domains));
        }
        var subject = domains[0].Length <= MaxCommonNameLength
            ? new X500DistinguishedNameBuilder()
            : null;
        subject?.AddCommonName(domains[0]);
        var name = subject?.Build() ?? new X500DistinguishedName(string.Empty);
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(name, ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("the key is neither ECDSA nor RSA", nameof(key)),
        };
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(domain);
        }
        request.CertificateExtensions.Add(names.Build(critical: false));
        return request.CreateSigningRequest();
    }
}
