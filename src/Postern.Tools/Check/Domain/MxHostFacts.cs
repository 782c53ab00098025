namespace Postern.Tools.Check.Domain;

/// <summary>One MX host, in Postern's order: its addresses, the DNSSEC status of the answers that led to it, its TLSA records, its TLS session and how that measures up.</summary>
internal sealed record MxHostFacts
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Addresses { get; init; }

    /// <summary>The MX and address answers were DNSSEC-validated (the resolver's AD bit): only then can TLSA apply.</summary>
    public bool DnssecSecure { get; init; }

    public required TlsaFacts Tlsa { get; init; }

    /// <summary>The STARTTLS session on port 25, or null when not attempted (no address).</summary>
    public MxTlsFacts? Tls { get; init; }

    /// <summary>The TLSA record (presentation form) the certificate matched, or null.</summary>
    public string? DaneMatch { get; init; }

    /// <summary>Why the certificate matched no TLSA record, when there were usable ones; else null.</summary>
    public string? DaneProblem { get; init; }

    /// <summary>The MTA-STS mx pattern the host matches; null when it matches none or there is no policy.</summary>
    public string? MtaStsPattern { get; init; }

    /// <summary>
    /// What delivery would hold a session with this host to (the per-destination plan): "dane",
    /// "sts-enforce", "sts-testing", "verify", "encrypt" or "may"; "skip" when the host is not tried.
    /// </summary>
    public string Plan { get; init; } = "may";

    /// <summary>The deferral reply when <see cref="Plan"/> is "skip".</summary>
    public string? SkipReply { get; init; }
}
