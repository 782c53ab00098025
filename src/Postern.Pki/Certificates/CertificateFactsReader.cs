using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>Reads the facts the log, the Received header and the access map need out of a certificate.</summary>
public static class CertificateFactsReader
{
    public static CertificateFacts Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateFacts(
            Subject: "/" + certificate.SubjectName.Name.Replace(", ", "/", StringComparison.Ordinal),
            Issuer: "/" + certificate.IssuerName.Name.Replace(", ", "/", StringComparison.Ordinal),
            SubjectRfc4514: certificate.SubjectName.Name,
            IssuerRfc4514: certificate.IssuerName.Name,
            SubjectCommonName: certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
            IssuerCommonName: certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
            FingerprintSha256: Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)),
            SpkiSha256: Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())),
            DnsNames: [],
            EmailAddresses: [],
            NotBefore: certificate.NotBefore.ToUniversalTime(),
            NotAfter: certificate.NotAfter.ToUniversalTime(),
            SerialNumber: certificate.SerialNumber);
    }
}
