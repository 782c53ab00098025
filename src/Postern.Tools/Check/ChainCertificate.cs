namespace Postern.Tools.Check;

/// <summary>One certificate the server sent, leaf first: names in sendmail form, validity, SANs, key.</summary>
internal sealed record ChainCertificate(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int DaysLeft,
    IReadOnlyList<string> DnsNames,
    string Key,
    bool SelfSigned,
    string Sha256);
