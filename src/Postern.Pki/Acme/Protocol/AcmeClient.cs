using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postern.Pki.Tls;

namespace Postern.Pki.Acme.Protocol;

/// <summary>
/// The RFC 8555 client of one account key and one directory: every request a JWS signed with the
/// account key (jwk for new-account, the account URL as kid afterwards), reads as POST-as-GET, the
/// directory fetched once, nonces pooled, badNonce retried, problems and Retry-After turned into
/// <see cref="AcmeException"/>. Which request comes when, and how long to poll, is the caller's.
/// </summary>
public sealed class AcmeClient : IAcmeProtocol, IDisposable
{
    /// <summary>The deadline of one HTTP request, answer included.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    private const string Json = "application/json";
    private const string PemChain = "application/pem-certificate-chain";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Uri _directoryUrl;
    private readonly AcmeAccountKey _key;
    private readonly AcmeHttp _http;
    private readonly OrderUrls _orderUrls = new();
    private AcmeDirectory? _directory;
    private Uri? _account;

    /// <param name="directoryUrl">The directory (acme.directory).</param>
    /// <param name="key">The account key; the caller keeps and disposes it.</param>
    /// <param name="handler">The HTTP handler, owned by the client (<see cref="Create"/> makes the real one).</param>
    /// <param name="time">The clock of deadlines and Retry-After dates.</param>
    /// <param name="requestTimeout">The deadline of each request; default <see cref="DefaultRequestTimeout"/>.</param>
    public AcmeClient(Uri directoryUrl, AcmeAccountKey key, HttpMessageHandler handler, TimeProvider time, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(directoryUrl);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        _directoryUrl = directoryUrl;
        _key = key;
        _http = new AcmeHttp(handler, time, requestTimeout ?? DefaultRequestTimeout);
    }

    /// <summary>The client for <c>[acme]</c>: HTTPS trusting the system store and acme.directory_ca_file.</summary>
    /// <exception cref="TlsConfigurationException">directory_ca_file cannot be read or holds no certificate.</exception>
    public static AcmeClient Create(AcmeOptions options, AcmeAccountKey key, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trust = options.DirectoryCaFile is { } caFile ? CaLoader.Load(caFile, null, new List<string>()) : null;
        return new AcmeClient(options.DirectoryUrl, key, AcmeHttpsHandler.Create(trust, time), time);
    }

    /// <summary>The account URL (the kid), once registered or set with <see cref="UseAccount"/>.</summary>
    public Uri? AccountUrl => _account;

    public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is { } known)
        {
            return known;
        }
        var response = await _http.GetAsync("directory", _directoryUrl, cancellationToken);
        return _directory = AcmeResponseParser.Directory(response.Body);
    }

    public async Task<AcmeAccount> RegisterAsync(AcmeAccountRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = await GetDirectoryAsync(cancellationToken);
        var binding = request is { EabKeyId: { } kid, EabHmacKey: { } mac }
            ? AcmeJws.ExternalAccountBinding(_key, kid, mac, directory.NewAccount)
            : null;
        if (binding is null && directory.ExternalAccountRequired && !request.OnlyReturnExisting)
        {
            throw new AcmeException($"new-account: {directory.NewAccount.Host} requires an external account binding; set acme.eab_kid and acme.eab_hmac_key to the values the CA gave");
        }
        var payload = AcmePayloads.NewAccount(request, binding);
        var response = await _http.PostAsync("new-account", directory.NewAccount, directory.NewNonce,
            nonce => AcmeJws.Sign(_key, null, nonce, directory.NewAccount, payload), Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        var location = response.Location ?? throw new AcmeException($"new-account: {directory.NewAccount.Host} sent no account URL (Location)");
        // 200 with an empty body is how some servers answer for an existing account.
        var account = response.Body.Length == 0
            ? new AcmeAccount(location, "valid", request.Contact)
            : AcmeResponseParser.Account(response.Body, location);
        if (account.Status != "valid")
        {
            throw new AcmeException($"new-account: the account {location} is {account.Status}");
        }
        _account = location;
        return account;
    }

    public void UseAccount(Uri accountUrl)
    {
        ArgumentNullException.ThrowIfNull(accountUrl);
        _account = accountUrl;
    }

    public async Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, string? replaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var directory = await GetDirectoryAsync(cancellationToken);
        // RFC 9773 5: replaces only to a server that offers ARI; others may refuse the unknown field.
        var payload = AcmePayloads.NewOrder(domains, directory.RenewalInfo is null ? null : replaces);
        var response = await PostAsync("new-order", directory.NewOrder, payload, Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        var location = response.Location ?? throw new AcmeException($"new-order: {directory.NewOrder.Host} sent no order URL (Location)");
        return _orderUrls.Remember(AcmeResponseParser.Order(response.Body, location, response.RetryAfter));
    }

    public async Task<AcmeOrder> GetOrderAsync(Uri order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var response = await PostAsync("order", order, null, Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        return _orderUrls.Remember(AcmeResponseParser.Order(response.Body, order, response.RetryAfter));
    }

    public async Task<AcmeAuthorization> GetAuthorizationAsync(Uri authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var response = await PostAsync("authorization", authorization, null, Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        return AcmeResponseParser.Authorization(response.Body, authorization, response.RetryAfter);
    }

    public async Task<AcmeChallenge> AnswerChallengeAsync(Uri challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var response = await PostAsync("challenge", challenge, AcmePayloads.Empty, Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        return AcmeResponseParser.Challenge(response.Body);
    }

    /// <summary>finalize; the order's Location is the server's Location header, or (RFC 8555 does not require one there) the order URL this client saw with that finalize URL.</summary>
    public async Task<AcmeOrder> FinalizeAsync(Uri finalize, ReadOnlyMemory<byte> csrDer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finalize);
        var response = await PostAsync("finalize", finalize, AcmePayloads.Finalize(csrDer.Span), Json, AcmeHttp.MaxJsonBytes, cancellationToken);
        var location = response.Location ?? _orderUrls.Of(finalize)
            ?? throw new AcmeException($"finalize: {finalize.Host} sent no order URL (Location) for an order this client did not create");
        return AcmeResponseParser.Order(response.Body, location, response.RetryAfter);
    }

    public async Task<string> DownloadCertificateAsync(Uri certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var response = await PostAsync("certificate", certificate, null, PemChain, AcmeHttp.MaxChainBytes, cancellationToken);
        return CertificateChainText.Check(response.Body, StrictUtf8);
    }

    public async Task<AcmeRenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var directory = await GetDirectoryAsync(cancellationToken);
        if (directory.RenewalInfo is not { } renewalInfo)
        {
            return null;
        }
        // RFC 9773 4.1: the certID is appended to the renewalInfo URL as one more path segment.
        var url = new Uri(renewalInfo.AbsoluteUri.TrimEnd('/') + "/" + AriCertificateId.From(certificate));
        var response = await _http.GetAsync("renewal-info", url, cancellationToken);
        return AcmeResponseParser.RenewalInfo(response.Body, response.RetryAfter);
    }

    public string KeyAuthorization(string token) =>
        AcmeWireValues.Token(token, "a challenge") + "." + _key.Thumbprint;

    public void Dispose() => _http.Dispose();

    private async Task<AcmeResponse> PostAsync(string operation, Uri url, byte[]? payload, string accept, int maxBytes, CancellationToken cancellationToken)
    {
        var account = _account ?? throw new AcmeException($"{operation}: no ACME account yet; register first");
        var directory = await GetDirectoryAsync(cancellationToken);
        return await _http.PostAsync(operation, url, directory.NewNonce,
            nonce => AcmeJws.Sign(_key, account, nonce, url, payload), accept, maxBytes, cancellationToken);
    }
}
