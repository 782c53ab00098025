using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Tests.Pki;

/// <summary>In-memory CAs and certificates for the Pki tests (ECDSA P-256 unless asked: RSA key generation is slow).</summary>
internal static class TestCertificates
{
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>The verification time all tests use; certificates default to a year either side.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 CreateRootCa(string subject, bool rsa = false) =>
        CreateRootCa(new X500DistinguishedName(subject), rsa);

    public static X509Certificate2 CreateRootCa(X500DistinguishedName subject, bool rsa = false)
    {
        var request = rsa ? RsaRequest(subject) : EcRequest(subject);
        AddCaExtensions(request);
        return request.CreateSelfSigned(Now.AddYears(-2), Now.AddYears(5));
    }

    /// <summary>An intermediate CA (with its private key) under <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateIntermediateCa(string subject, X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        AddCaExtensions(request);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var signed = request.Create(issuer.SubjectName, SignerOf(issuer), Now.AddYears(-1), Now.AddYears(3), NewSerial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A leaf certificate signed by <paramref name="issuer"/>; <paramref name="configure"/> adds extensions (EKU clientAuth when null).</summary>
    public static X509Certificate2 CreateLeaf(
        X500DistinguishedName subject,
        X509Certificate2 issuer,
        Action<CertificateRequest>? configure = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        byte[]? serial = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        (configure ?? ClientUsage)(request);
        return request.Create(issuer.SubjectName, SignerOf(issuer), notBefore ?? Now.AddYears(-1), notAfter ?? Now.AddYears(1), serial ?? NewSerial());
    }

    public static X509Certificate2 CreateLeaf(string subject, X509Certificate2 issuer, Action<CertificateRequest>? configure = null) =>
        CreateLeaf(new X500DistinguishedName(subject), issuer, configure);

    /// <summary>A self-signed certificate with any subject and extensions (the impostor's tool).</summary>
    public static X509Certificate2 CreateSelfSigned(X500DistinguishedName subject, Action<CertificateRequest>? configure = null)
    {
        var request = EcRequest(subject);
        (configure ?? ClientUsage)(request);
        return request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(1));
    }

    /// <summary>A certificate claiming <paramref name="issuerName"/> as issuer but signed with a key of its own.</summary>
    public static X509Certificate2 CreateForgedLeaf(X500DistinguishedName subject, X500DistinguishedName issuerName)
    {
        using var fakeIssuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, leafKey, HashAlgorithmName.SHA256);
        ClientUsage(request);
        return request.Create(issuerName, X509SignatureGenerator.CreateForECDsa(fakeIssuerKey), Now.AddYears(-1), Now.AddYears(1), NewSerial());
    }

    public static void ClientUsage(CertificateRequest request) =>
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));

    public static void ServerUsage(CertificateRequest request) =>
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));

    /// <summary>serverAuth EKU and the given SAN dNSNames (none = no SAN extension).</summary>
    public static Action<CertificateRequest> ServerFor(params string[] dnsNames) => request =>
    {
        ServerUsage(request);
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }
    };

    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        serial[0] |= 0x10;
        return serial;
    }

    public static X509Certificate2Collection Anchors(params X509Certificate2[] certificates) => [.. certificates];

    // The generator overload lets an RSA CA sign an ECDSA leaf (the issuer-certificate overload refuses mixed algorithms).
    private static X509SignatureGenerator SignerOf(X509Certificate2 issuer) =>
        issuer.GetECDsaPrivateKey() is { } ecdsa
            ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static CertificateRequest EcRequest(X500DistinguishedName subject)
    {
        // The request keeps using the key; CreateSelfSigned copies it into the certificate.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
    }

    private static CertificateRequest RsaRequest(X500DistinguishedName subject)
    {
        var key = RSA.Create(2048);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
