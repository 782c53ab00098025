namespace Postern.Pki.Authority;

/// <summary>A certificate to issue.</summary>
/// <param name="Kind">Server (serverAuth) or client (clientAuth).</param>
/// <param name="Name">The index name and file stem: the host for a server, NAME for a client; also the subject CN.</param>
/// <param name="DnsNames">subjectAltName dNSNames (a server's host first).</param>
/// <param name="IpAddresses">subjectAltName iPAddresses.</param>
/// <param name="EmailAddresses">subjectAltName rfc822Names (a client's --email).</param>
/// <param name="Days">Validity in days (cut to the CA's own end).</param>
/// <param name="Key">The new key's type.</param>
/// <param name="OutputDirectory">Where NAME.pem and NAME.key go; null = the CA's issued/ directory.</param>
public sealed record IssueRequest(
    CertificateKind Kind,
    string Name,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<System.Net.IPAddress> IpAddresses,
    IReadOnlyList<string> EmailAddresses,
    int Days,
    KeyAlgorithm Key,
    string? OutputDirectory)
{
    public const int DefaultDays = 825;
}
