namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// How one renewal attempt went: the certificates it issued (some, when a second key type failed
/// after the first), the failure if any, and the state saved after it (its plan is the next attempt).
/// </summary>
public sealed record AcmeAttempt(AcmeAttemptResult Result, IReadOnlyList<IssuedCertificate> Issued, AcmeState State)
{
    /// <summary>The failure's one line (the server's problem when it sent one).</summary>
    public string? Error { get; init; }

    /// <summary>The names ordered, for the log line.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];
}

public enum AcmeAttemptResult
{
    /// <summary>Every due certificate was issued and is live.</summary>
    Issued,

    /// <summary>An order failed; the current certificates stay.</summary>
    Failed,

    /// <summary>Nothing was due (and the attempt was not forced).</summary>
    NotDue,

    /// <summary>Another process held the lock; nothing was tried.</summary>
    Busy,
}
