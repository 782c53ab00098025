using System.Security.Cryptography.X509Certificates;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// One account key's conversation with one ACME server (RFC 8555): every request signed (JWS,
/// ES256 or RS256), a fresh nonce each time (badNonce retried), problem documents turned into
/// <see cref="AcmeException"/>, every step under the caller's deadline. Polling and the order of
/// steps are the caller's (<c>Issuance/</c>); this is the wire.
/// </summary>
public interface IAcmeProtocol
{
    Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken);

    /// <summary>new-account (or the existing account of this key: the server answers 200 with its URL). Sets the kid of later requests.</summary>
    Task<AcmeAccount> RegisterAsync(AcmeAccountRequest request, CancellationToken cancellationToken);

    /// <summary>Uses a known account URL as the kid without asking the server (saved in account.json).</summary>
    void UseAccount(Uri accountUrl);

    /// <summary>new-order for DNS identifiers; <paramref name="replaces"/> is the ARI certID of the certificate being renewed (RFC 9773 5).</summary>
    Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, string? replaces, CancellationToken cancellationToken);

    Task<AcmeOrder> GetOrderAsync(Uri order, CancellationToken cancellationToken);

    Task<AcmeAuthorization> GetAuthorizationAsync(Uri authorization, CancellationToken cancellationToken);

    /// <summary>Tells the server the challenge is ready (POST {}); returns the challenge as it then stands.</summary>
    Task<AcmeChallenge> AnswerChallengeAsync(Uri challenge, CancellationToken cancellationToken);

    /// <summary>finalize with a DER PKCS#10 request.</summary>
    Task<AcmeOrder> FinalizeAsync(Uri finalize, ReadOnlyMemory<byte> csrDer, CancellationToken cancellationToken);

    /// <summary>The issued chain, PEM (leaf first), application/pem-certificate-chain, size-capped.</summary>
    Task<string> DownloadCertificateAsync(Uri certificate, CancellationToken cancellationToken);

    /// <summary>ARI (RFC 9773): null when the directory has no renewalInfo.</summary>
    Task<AcmeRenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken);

    /// <summary>token + "." + base64url(JWK thumbprint of the account key) (RFC 8555 8.1).</summary>
    string KeyAuthorization(string token);
}
