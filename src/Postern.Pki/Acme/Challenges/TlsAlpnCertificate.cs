using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// The tls-alpn-01 validation certificate (RFC 8737 3): self-signed, P-256, the name as its only
/// dNSName, and the critical id-pe-acmeIdentifier extension holding the SHA-256 of the key
/// authorization as an ASN.1 OCTET STRING. Made fresh for each challenge, never written to disk.
/// </summary>
internal static class TlsAlpnCertificate
{
    /// <summary>id-pe-acmeIdentifier (RFC 8737 6.1).</summary>
    public const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

    public static X509Certificate2 Create(string domain, string keyAuthorization, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + domain), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509Extension(AcmeIdentifierOid, ExtensionValue(keyAuthorization), critical: true));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
    }

    /// <summary>DER OCTET STRING (SIZE (32)) of SHA-256 over the key authorization's octets.</summary>
    public static byte[] ExtensionValue(string keyAuthorization)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization)));
        return writer.Encode();
    }
}
