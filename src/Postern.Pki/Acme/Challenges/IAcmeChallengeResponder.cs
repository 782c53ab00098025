namespace Postern.Pki.Acme.Challenges;

/// <summary>
/// Makes one challenge answerable and takes it back: the http-01 listener serves the key
/// authorization at its path, tls-alpn-01 presents the acmeIdentifier certificate for the name,
/// dns-01 publishes (and later removes) the TXT record. <see cref="PublishAsync"/> returns when the
/// server may check (the dns-01 responder waits until the primary answers with the record).
/// </summary>
public interface IAcmeChallengeResponder : IAsyncDisposable
{
    AcmeChallengeType Type { get; }

    /// <param name="domain">The identifier being validated (never a wildcard for http-01 and tls-alpn-01).</param>
    /// <param name="token">The challenge token.</param>
    /// <param name="keyAuthorization">token.thumbprint (RFC 8555 8.1); dns-01 and tls-alpn-01 publish its SHA-256.</param>
    /// <param name="cancellationToken">The order's deadline.</param>
    Task PublishAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PublishAsync"/> put up; called whatever the outcome.</summary>
    Task WithdrawAsync(string domain, string token, CancellationToken cancellationToken);
}
