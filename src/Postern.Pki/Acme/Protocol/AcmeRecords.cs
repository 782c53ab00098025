namespace Postern.Pki.Acme.Protocol;

/// <summary>The directory (RFC 8555 7.1.1) and its meta fields Postern uses.</summary>
public sealed record AcmeDirectory(
    Uri NewNonce,
    Uri NewAccount,
    Uri NewOrder,
    Uri? RevokeCert,
    Uri? KeyChange,
    Uri? RenewalInfo,
    Uri? TermsOfService,
    bool ExternalAccountRequired);

/// <summary>An account (RFC 8555 7.1.2): its URL is the kid of every later request.</summary>
public sealed record AcmeAccount(Uri Location, string Status, IReadOnlyList<string> Contact);

/// <summary>An order (RFC 8555 7.1.3). Status: pending, ready, processing, valid, invalid.</summary>
public sealed record AcmeOrder(
    Uri Location,
    string Status,
    IReadOnlyList<string> Identifiers,
    IReadOnlyList<Uri> Authorizations,
    Uri Finalize,
    Uri? Certificate,
    DateTimeOffset? Expires,
    AcmeProblem? Error,
    TimeSpan? RetryAfter);

/// <summary>An authorization (RFC 8555 7.1.4). Status: pending, valid, invalid, deactivated, expired, revoked.</summary>
public sealed record AcmeAuthorization(
    Uri Location,
    string Status,
    string Identifier,
    bool Wildcard,
    IReadOnlyList<AcmeChallenge> Challenges,
    TimeSpan? RetryAfter);

/// <summary>A challenge (RFC 8555 8). Type: http-01, tls-alpn-01, dns-01. Status: pending, processing, valid, invalid.</summary>
public sealed record AcmeChallenge(Uri Url, string Type, string Status, string Token, AcmeProblem? Error);

/// <summary>ARI's suggested renewal window (RFC 9773 4.2) and when to ask again (its Retry-After).</summary>
public sealed record AcmeRenewalInfo(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, Uri? ExplanationUrl, TimeSpan? RetryAfter);

/// <summary>What new-account needs (RFC 8555 7.3): contact, agreement, and the optional external account binding.</summary>
public sealed record AcmeAccountRequest(IReadOnlyList<string> Contact, bool TermsOfServiceAgreed, string? EabKeyId, byte[]? EabHmacKey)
{
    /// <summary>onlyReturnExisting: find the account of this key, never create one.</summary>
    public bool OnlyReturnExisting { get; init; }
}
