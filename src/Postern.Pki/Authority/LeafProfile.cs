using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Authority;

/// <summary>
/// The extensions of an issued certificate: not a CA; digitalSignature (+keyEncipherment for
/// RSA, which TLS 1.2 RSA key exchange and S/MIME need); serverAuth or clientAuth; the SANs; key ids.
/// </summary>
internal static class LeafProfile
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public static void Apply(
        CertificateRequest request,
        CertificateKind kind,
        AsymmetricAlgorithm key,
        IReadOnlyList<string> dnsNames,
        IReadOnlyList<IPAddress> ipAddresses,
        IReadOnlyList<string> emailAddresses,
        X509Certificate2 ca)
    {
        var usage = X509KeyUsageFlags.DigitalSignature | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.None);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var eku = kind == CertificateKind.Server ? ServerAuthOid : ClientAuthOid;
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        if (dnsNames.Count + ipAddresses.Count + emailAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }
            foreach (var address in ipAddresses)
            {
                san.AddIpAddress(address);
            }
            foreach (var email in emailAddresses)
            {
                san.AddEmailAddress(email);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
    }
}
