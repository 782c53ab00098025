namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// How one renewal attempt went: the certificates it issued (some, when a second key type failed
/// after the first), the failure if any, and the state saved after it (its plan is the next attempt).
/// </summary>
public sealed record AcmeAttempt(AcmeAttemptResult Result, IReadOnlyList<AcmeCertificate> Issued, AcmeState State)
{
    /// <summary>The failure's one line (the server's problem when it sent one).</summary>
    public string? Error { get; init; }

    /// <summary>The names ordered, for the log line.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];
}
