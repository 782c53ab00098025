namespace Postern.Tools.Check.Domain;

/// <summary>
/// One STARTTLS session with an MX host (SNI and the name check: the MX host name): whether it was
/// reached, offered STARTTLS, the protocol and the chain, and whether the chain verifies (PKIX,
/// against the system store or --ca) and names the host (as MTA-STS requires; wildcards count).
/// </summary>
internal sealed record MxTlsFacts
{
    public required string Address { get; init; }

    /// <summary>Why the session did not get as far as TLS (unreachable, refused, handshake failure); null otherwise.</summary>
    public string? Error { get; init; }

    public bool StartTlsOffered { get; init; }

    public string? Protocol { get; init; }

    public string? Cipher { get; init; }

    public IReadOnlyList<ChainCertificate> Chain { get; init; } = [];

    public bool PkixVerified { get; init; }

    public string? PkixProblem { get; init; }

    public bool NameMatches { get; init; }
}
