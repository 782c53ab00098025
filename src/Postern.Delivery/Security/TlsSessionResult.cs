namespace Postern.Delivery.Security;

/// <summary>How an outbound session's TLS ended, as the metrics count it.</summary>
public enum TlsSessionResult
{
    /// <summary>TLS, and the server proved itself as required (DANE, MTA-STS enforce, verify).</summary>
    Authenticated,

    /// <summary>TLS without (required) authentication.</summary>
    Encrypted,

    /// <summary>No STARTTLS offered, and the requirement allowed clear text.</summary>
    Plaintext,

    /// <summary>The requirement was not met: the host was deferred.</summary>
    Failed,

    /// <summary>The host was not tried: its plan deferred it (TLSA lookup failed, outside the MTA-STS policy, no DANE under dane-only).</summary>
    Skipped,
}
