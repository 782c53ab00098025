namespace Postern.Pki.Acme.Issuance;

/// <summary>One issued certificate (one key type) as state.json records it, with its renewal data.</summary>
public sealed record AcmeCertificateState
{
    /// <summary>"ecdsa" or "rsa".</summary>
    public required string KeyType { get; init; }

    /// <summary>Serial number, upper-case hex.</summary>
    public required string Serial { get; init; }

    /// <summary>The issuer's common name (or its whole name when it has none).</summary>
    public required string Issuer { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>ARI's certID (RFC 9773 4.1): what renewalInfo is asked about and what the next order replaces.</summary>
    public string? CertId { get; init; }

    public DateTimeOffset Issued { get; init; }

    /// <summary>ARI's suggested window, when the server offers one.</summary>
    public DateTimeOffset? AriWindowStart { get; init; }

    public DateTimeOffset? AriWindowEnd { get; init; }

    /// <summary>The server's explanation of a moved window (an incident, a revocation), for the log and status.</summary>
    public string? AriExplanation { get; init; }

    /// <summary>When to ask the server for renewal info again.</summary>
    public DateTimeOffset? AriNextPoll { get; init; }

    /// <summary>The renewal time chosen (random in the ARI window, or renew_before less the jitter), kept so a restart does not choose again.</summary>
    public DateTimeOffset? RenewAt { get; init; }

    /// <summary>ari or renew_before: which rule chose <see cref="RenewAt"/>.</summary>
    public string? RenewReason { get; init; }
}
