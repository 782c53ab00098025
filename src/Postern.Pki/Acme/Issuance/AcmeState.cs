namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// state.json: what the renewal schedule needs to survive a restart and what <c>postern cert acme
/// status</c> shows: the certificates as issued, their ARI windows, the next attempt and why, and
/// how the last attempts went. The live files stay the truth about the certificates themselves.
/// </summary>
public sealed record AcmeState
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>One entry per key type that has been issued (ecdsa, rsa).</summary>
    public IReadOnlyList<AcmeCertificateState> Certificates { get; init; } = [];

    /// <summary>When the next attempt is due (the earliest certificate's, or the backoff's after a failure).</summary>
    public DateTimeOffset? NextRenewal { get; init; }

    /// <summary>Why then: missing, domains_changed, ari, renew_before, retry.</summary>
    public string? NextRenewalReason { get; init; }

    /// <summary>When the last order attempt ended, and how (issued or failed).</summary>
    public DateTimeOffset? LastAttempt { get; init; }

    public string? LastResult { get; init; }

    /// <summary>The one-line reason of the last failure, kept after later successes for the record.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Failed attempts since the last success; 0 when the last attempt issued.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>After a failure: not before this time (backoff, or the server's Retry-After).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>When the daemon last acted on renew.request: <c>postern cert acme renew</c> waits for a time after its request.</summary>
    public DateTimeOffset? RequestHandledAt { get; init; }

    /// <summary>The certificate state of <paramref name="keyType"/>, if one was issued.</summary>
    public AcmeCertificateState? For(AcmeKeyTypes keyType) =>
        Certificates.FirstOrDefault(c => c.KeyType == AcmeKeyTypeNames.Name(keyType));

    /// <summary>This state with <paramref name="certificate"/> in place of its key type's entry.</summary>
    public AcmeState With(AcmeCertificateState certificate) => this with
    {
        Certificates = [.. Certificates.Where(c => c.KeyType != certificate.KeyType), certificate],
    };
}
