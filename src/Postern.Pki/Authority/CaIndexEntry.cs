namespace Postern.Pki.Authority;

/// <summary>One certificate the CA issued, as <c>index.json</c> records it.</summary>
/// <param name="Name">The name it was issued under (client NAME or server host); unique among current entries.</param>
/// <param name="Kind">Server or client.</param>
/// <param name="Serial">The serial number, uppercase hex.</param>
/// <param name="Subject">The subject in sendmail's form (informational).</param>
/// <param name="SubjectDer">The subject's DER, base64: renewal reuses it exactly.</param>
/// <param name="Issuer">The issuer in sendmail's form.</param>
/// <param name="CommonName">The subject CN.</param>
/// <param name="DnsNames">subjectAltName dNSNames.</param>
/// <param name="IpAddresses">subjectAltName iPAddresses.</param>
/// <param name="EmailAddresses">subjectAltName rfc822Names.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Days">The validity asked for; renewal reuses it.</param>
/// <param name="KeyAlgorithm">ecdsa-p256 or rsa-3072.</param>
/// <param name="CertificateFile">The chain file (certificate, then the CA), absolute.</param>
/// <param name="KeyFile">The private key file, absolute.</param>
/// <param name="FingerprintSha256">SHA-256 of the certificate (CERTFP), lowercase hex.</param>
/// <param name="SpkiSha256">SHA-256 of the public key (CERTSPKI), lowercase hex.</param>
/// <param name="ReplacedBy">The serial of the renewal that replaced it; null while current.</param>
public sealed record CaIndexEntry(
    string Name,
    CertificateKind Kind,
    string Serial,
    string Subject,
    string SubjectDer,
    string Issuer,
    string CommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    IReadOnlyList<string> EmailAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int Days,
    string KeyAlgorithm,
    string CertificateFile,
    string KeyFile,
    string FingerprintSha256,
    string SpkiSha256,
    string? ReplacedBy = null)
{
    public bool IsCurrent => ReplacedBy is null;
}
