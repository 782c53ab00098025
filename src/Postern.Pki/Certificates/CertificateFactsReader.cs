using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;

namespace Postern.Pki.Certificates;

/// <summary>Reads the facts the log, the Received header and the access map need out of a certificate.</summary>
public static class CertificateFactsReader
{
    /// <exception cref="System.Security.Cryptography.CryptographicException">A name in the certificate is not valid ASN.1.</exception>
    public static CertificateFacts Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var subject = certificate.SubjectName;
        var issuer = certificate.IssuerName;
        var altNames = SubjectAltNames.Read(certificate);
        return new CertificateFacts(
            Subject: DistinguishedNameFormatter.ToSendmail(subject),
            Issuer: DistinguishedNameFormatter.ToSendmail(issuer),
            SubjectRfc4514: DistinguishedNameFormatter.ToRfc4514(subject),
            IssuerRfc4514: DistinguishedNameFormatter.ToRfc4514(issuer),
            SubjectCommonName: DistinguishedNameFormatter.CommonName(subject),
            IssuerCommonName: DistinguishedNameFormatter.CommonName(issuer),
            FingerprintSha256: CertificateFingerprint.Sha256(certificate),
            SpkiSha256: CertificateFingerprint.SpkiSha256(certificate),
            DnsNames: altNames.DnsNames,
            EmailAddresses: altNames.EmailAddresses,
            NotBefore: new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter: new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            // X509Certificate2.SerialNumber is the big-endian INTEGER content in uppercase hex.
            SerialNumber: certificate.SerialNumber);
    }
}
