namespace Postern.Core.Auth;

/// <summary>
/// One user's stored credentials. Never plaintext: a slow salted hash for PLAIN/LOGIN, SCRAM keys,
/// and a password-equivalent secret only when CRAM-MD5 or DIGEST-MD5 is enabled.
/// </summary>
public sealed record UserRecord(string Name)
{
    /// <summary>The PLAIN/LOGIN verifier in the format <c>PasswordHash</c> writes; null when the user has no password.</summary>
    public string? PasswordHash { get; init; }

    public ScramCredential? ScramSha1 { get; init; }

    public ScramCredential? ScramSha256 { get; init; }

    /// <summary>The secret CRAM-MD5 and DIGEST-MD5 need (password-equivalent); null unless those are enabled.</summary>
    public string? PasswordEquivalent { get; init; }

    /// <summary>SHA-256 fingerprints (lower-case hex) of certificates bound to this user for EXTERNAL.</summary>
    public IReadOnlyList<string> CertificateFingerprints { get; init; } = [];

    public bool Disabled { get; init; }
}
