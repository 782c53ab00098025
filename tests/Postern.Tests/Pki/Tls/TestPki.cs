using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki.Tls;

/// <summary>Builds small CA hierarchies in memory for the TLS tests.</summary>
internal static class TestPki
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public static TestCertificate CreateRoot(string commonName, bool rsa = false)
    {
        var key = NewKey(rsa);
        var request = Request(commonName, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificate(request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5)), key);
    }

    public static TestCertificate IssueIntermediate(string commonName, TestCertificate issuer)
    {
        var key = NewKey(rsa: false);
        var request = Request(commonName, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Sign(request, key, issuer, years: 3);
    }

    public static TestCertificate IssueServer(string commonName, TestCertificate issuer, bool rsa = false, params string[] dnsNames)
    {
        var key = NewKey(rsa);
        var request = Request(commonName, key);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Length == 0 ? [commonName] : dnsNames)
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        return Sign(request, key, issuer, years: 1);
    }

    public static TestCertificate IssueClient(string commonName, TestCertificate issuer)
    {
        var key = NewKey(rsa: false);
        var request = Request(commonName, key);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        return Sign(request, key, issuer, years: 1);
    }

    private static TestCertificate Sign(CertificateRequest request, AsymmetricAlgorithm key, TestCertificate issuer, int years)
    {
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // The generator overload lets an RSA CA sign an ECDSA certificate and the other way round.
        var generator = issuer.Key is RSA rsaIssuer
            ? X509SignatureGenerator.CreateForRSA(rsaIssuer, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa((ECDsa)issuer.Key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        using var signed = request.Create(issuer.Certificate.SubjectName, generator, now.AddDays(-1), now.AddYears(years), serial);
        var withKey = key is RSA rsa ? signed.CopyWithPrivateKey(rsa) : signed.CopyWithPrivateKey((ECDsa)key);
        return new TestCertificate(withKey, key);
    }

    private static AsymmetricAlgorithm NewKey(bool rsa) => rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateRequest Request(string commonName, AsymmetricAlgorithm key)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        return key is RSA rsa
            ? new CertificateRequest(name.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(name.Build(), (ECDsa)key, HashAlgorithmName.SHA256);
    }
}
