namespace Postern.Tools.Check;

/// <summary>
/// The TLS session of the main connection: protocol and cipher, the server's chain and whether it
/// verifies (against <see cref="TrustedBy"/>) and matches <see cref="NameChecked"/>, the
/// client-certificate request (its acceptable issuers) and what became of ours.
/// </summary>
internal sealed record TlsFacts
{
    /// <summary>"STARTTLS" or "implicit".</summary>
    public required string How { get; init; }

    /// <summary>The handshake error, or null when it completed.</summary>
    public string? Error { get; init; }

    public string? Protocol { get; init; }

    public string? Cipher { get; init; }

    public int Bits { get; init; }

    public IReadOnlyList<ChainCertificate> Chain { get; init; } = [];

    public bool Verified { get; init; }

    /// <summary>Why the chain does not verify (null when it does, or when only the name is wrong).</summary>
    public string? VerifyProblem { get; init; }

    /// <summary>"the system store" or the --ca file.</summary>
    public string TrustedBy { get; init; } = "the system store";

    public string NameChecked { get; init; } = string.Empty;

    public bool NameMatches { get; init; }

    public bool ClientCertificateRequested { get; init; }

    /// <summary>The CA names (sendmail form) the server said it accepts client certificates from.</summary>
    public IReadOnlyList<string> AcceptableIssuers { get; init; } = [];

    /// <summary>The subject of the certificate we presented (--cert), or null.</summary>
    public string? ClientCertificatePresented { get; init; }

    /// <summary>With a presented certificate: whether the session went on after the handshake (the EHLO after TLS worked).</summary>
    public bool? ClientCertificateAccepted { get; init; }
}
