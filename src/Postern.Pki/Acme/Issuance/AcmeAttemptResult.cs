namespace Postern.Pki.Acme.Issuance;

/// <summary>The outcome of one renewal attempt.</summary>
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
