namespace Postern.Core.Tls;

/// <summary>
/// What a peer certificate says, in the forms the log, the Received header and the access map use.
/// DNs come in sendmail's form (<c>/C=US/O=Foo/CN=Jason Heiss</c>, as {cert_subject}) and in
/// RFC 4514 form (<c>CN=Jason Heiss,O=Foo,C=US</c>). Fingerprints are lowercase hex without colons.
/// </summary>
public sealed record CertificateFacts(
    string Subject,
    string Issuer,
    string SubjectRfc4514,
    string IssuerRfc4514,
    string? SubjectCommonName,
    string? IssuerCommonName,
    string FingerprintSha256,
    string SpkiSha256,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> EmailAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string SerialNumber);
