using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Postern.Tests.Pki.Acme;

/// <summary>
/// An RFC 8555 server in a message handler: it checks every signed request as a CA would (flattened
/// JWS with exactly protected, payload and signature; alg ES256 or RS256; jwk only for
/// new-account, kid afterwards; a nonce it issued and nobody used; url equal to the request's;
/// the signature verified with the account's public key) and records every violation, then plays
/// the order flow: new-account, new-order, authorizations, challenges, finalize with a real CSR,
/// the chain, ARI renewal information.
/// </summary>
internal sealed class FakeAcmeServer : HttpMessageHandler
{
    public const string Base = "https://acme.test";

    private static readonly string[] ChallengeTypes = ["http-01", "dns-01", "tls-alpn-01"];

    private readonly Lock _lock = new();
    private readonly HashSet<string> _issuedNonces = [];
    private readonly HashSet<string> _usedNonces = [];
    private readonly Dictionary<string, JsonElement> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _authorizationValid = new(StringComparer.Ordinal);
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private int _nonceCounter;
    private List<string> _orderNames = [];
    private string _orderStatus = "pending";
    private string? _chain;

    public FakeAcmeServer()
    {
        var request = new CertificateRequest("CN=Fake ACME CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Ca { get; }

    public bool OfferRenewalInfo { get; set; }

    public bool RequireExternalAccount { get; set; }

    /// <summary>Whether the answer to finalize names the order in a Location header (RFC 8555 does not require it).</summary>
    public bool FinalizeSendsLocation { get; set; } = true;

    public string EabKeyId { get; set; } = "kid-1";

    public byte[] EabMacKey { get; set; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>How many of the next signed requests are refused with badNonce.</summary>
    public int RejectNonces { get; set; }

    /// <summary>Answers a request before the server does, when it returns non-null.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>Every request the server saw: METHOD PATH.</summary>
    public List<string> Log { get; } = [];

    /// <summary>The decoded protected header and payload of every signed request.</summary>
    public List<(JsonElement Header, string Payload)> Signed { get; } = [];

    /// <summary>What a real CA would have refused.</summary>
    public List<string> Violations { get; } = [];

    public string? LastCsrSubject { get; private set; }

    public List<string> LastCsrNames { get; } = [];

    public static Uri Directory { get; } = new(Base + "/directory");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        lock (_lock)
        {
            Log.Add($"{request.Method} {path}");
            if (Intercept?.Invoke(request) is { } intercepted)
            {
                intercepted.Headers.Add("Replay-Nonce", NewNonce());
                return intercepted;
            }
            if (request.Method == HttpMethod.Get && path == "/directory")
            {
                // Without a nonce, so the client's first nonce comes from HEAD new-nonce.
                return Json(HttpStatusCode.OK, DirectoryJson(), nonce: false);
            }
            if (request.Method == HttpMethod.Head && path == "/new-nonce")
            {
                return WithNonce(new HttpResponseMessage(HttpStatusCode.OK));
            }
            if (request.Method == HttpMethod.Get && path.StartsWith("/renewal-info/", StringComparison.Ordinal))
            {
                return Json(HttpStatusCode.OK, """{"suggestedWindow":{"start":"2026-11-01T00:00:00Z","end":"2026-11-03T00:00:00.123456789Z"},"explanationURL":"https://acme.test/docs/ari"}""", retryAfter: "21600");
            }
            if (request.Method != HttpMethod.Post)
            {
                return Json(HttpStatusCode.MethodNotAllowed, Problem("malformed", "method not allowed"));
            }
            var (header, payload) = Verify(request, body);
            if (RejectNonces > 0)
            {
                RejectNonces--;
                return Json(HttpStatusCode.BadRequest, Problem("badNonce", "JWS has an invalid anti-replay nonce"), problemJson: true);
            }
            Signed.Add((header, payload));
            return Answer(path, payload, header);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _caKey.Dispose();
            Ca.Dispose();
        }
        base.Dispose(disposing);
    }

    private HttpResponseMessage Answer(string path, string payload, JsonElement header)
    {
        switch (path)
        {
            case "/new-account":
                return NewAccount(payload, header);
            case "/new-order":
                using (var order = JsonDocument.Parse(payload))
                {
                    _orderNames = [.. order.RootElement.GetProperty("identifiers").EnumerateArray().Select(i => i.GetProperty("value").GetString()!)];
                }
                _authorizationValid.Clear();
                foreach (var name in _orderNames)
                {
                    _authorizationValid[name] = false;
                }
                _orderStatus = "pending";
                return Json(HttpStatusCode.Created, OrderJson(), location: Base + "/order/1");
            case "/order/1":
                RequirePostAsGet(payload, path);
                return Json(HttpStatusCode.OK, OrderJson(), retryAfter: _orderStatus == "processing" ? "3" : null);
            case "/finalize/1":
                return Finalize(payload);
            case "/cert/1":
                RequirePostAsGet(payload, path);
                var pem = new StringContent(_chain ?? "", Encoding.ASCII);
                pem.Headers.ContentType = new("application/pem-certificate-chain");
                return WithNonce(new HttpResponseMessage(HttpStatusCode.OK) { Content = pem });
        }
        if (path.StartsWith("/authz/", StringComparison.Ordinal))
        {
            RequirePostAsGet(payload, path);
            var name = Uri.UnescapeDataString(path["/authz/".Length..]);
            return Json(HttpStatusCode.OK, AuthorizationJson(name));
        }
        if (path.StartsWith("/chall/", StringComparison.Ordinal))
        {
            if (payload != "{}")
            {
                Violations.Add($"{path}: the answer to a challenge is {{}}, not {payload}");
            }
            var name = Uri.UnescapeDataString(path.Split('/')[2]);
            _authorizationValid[name] = true;
            if (_authorizationValid.Values.All(v => v))
            {
                _orderStatus = "ready";
            }
            return Json(HttpStatusCode.OK, $$"""{"type":"http-01","url":"{{Base}}{{path}}","status":"processing","token":"tok-{{Token(name)}}"}""");
        }
        return Json(HttpStatusCode.NotFound, Problem("malformed", "no such resource"), problemJson: true);
    }

    private HttpResponseMessage NewAccount(string payload, JsonElement header)
    {
        using var document = JsonDocument.Parse(payload);
        var jwk = header.GetProperty("jwk");
        var known = _accounts.FirstOrDefault(a => a.Value.GetRawText() == jwk.GetRawText()).Key;
        if (known is not null)
        {
            return Json(HttpStatusCode.OK, """{"status":"valid"}""", location: known);
        }
        if (document.RootElement.TryGetProperty("onlyReturnExisting", out _))
        {
            return Json(HttpStatusCode.BadRequest, Problem("accountDoesNotExist", "no account for this key"), problemJson: true);
        }
        if (RequireExternalAccount)
        {
            if (!document.RootElement.TryGetProperty("externalAccountBinding", out var binding))
            {
                return Json(HttpStatusCode.Unauthorized, Problem("externalAccountRequired", "an external account binding is required"), problemJson: true);
            }
            CheckBinding(binding, jwk);
        }
        var url = Base + "/acct/" + (_accounts.Count + 1);
        _accounts[url] = jwk.Clone();
        var contact = document.RootElement.TryGetProperty("contact", out var c) ? c.GetRawText() : "[]";
        return Json(HttpStatusCode.Created, $$"""{"status":"valid","contact":{{contact}},"orders":"{{url}}/orders"}""", location: url);
    }

    private void CheckBinding(JsonElement binding, JsonElement jwk)
    {
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(binding.GetProperty("protected").GetString())).RootElement;
        var input = Encoding.ASCII.GetBytes(binding.GetProperty("protected").GetString() + "." + binding.GetProperty("payload").GetString());
        var mac = HMACSHA256.HashData(EabMacKey, input);
        if (!mac.AsSpan().SequenceEqual(Base64Url.DecodeFromChars(binding.GetProperty("signature").GetString())))
        {
            Violations.Add("EAB: the HS256 MAC does not verify");
        }
        if (header.GetProperty("alg").GetString() != "HS256" || header.GetProperty("kid").GetString() != EabKeyId
            || header.GetProperty("url").GetString() != Base + "/new-account" || header.TryGetProperty("nonce", out _))
        {
            Violations.Add($"EAB: protected header {header.GetRawText()}");
        }
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(binding.GetProperty("payload").GetString()));
        if (payload != jwk.GetRawText())
        {
            Violations.Add($"EAB: payload {payload} is not the account JWK {jwk.GetRawText()}");
        }
    }

    private HttpResponseMessage Finalize(string payload)
    {
        if (_orderStatus != "ready")
        {
            return Json(HttpStatusCode.Forbidden, Problem("orderNotReady", "the order is " + _orderStatus), problemJson: true);
        }
        using var document = JsonDocument.Parse(payload);
        var der = Base64Url.DecodeFromChars(document.RootElement.GetProperty("csr").GetString());
        var csr = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        LastCsrSubject = csr.SubjectName.Name;
        LastCsrNames.Clear();
        var leafRequest = new CertificateRequest(csr.SubjectName, csr.PublicKey, HashAlgorithmName.SHA256);
        foreach (var extension in csr.CertificateExtensions)
        {
            if (extension is X509SubjectAlternativeNameExtension names)
            {
                LastCsrNames.AddRange(names.EnumerateDnsNames());
            }
            leafRequest.CertificateExtensions.Add(extension);
        }
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        using var leaf = leafRequest.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90), [0x00, 0x87, 0x65, 0x43, 0x21]);
        _chain = leaf.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem() + "\n";
        _orderStatus = "valid";
        return Json(HttpStatusCode.OK, OrderJson(), location: FinalizeSendsLocation ? Base + "/order/1" : null);
    }

    private (JsonElement Header, string Payload) Verify(HttpRequestMessage request, byte[] body)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Content?.Headers.ContentType?.MediaType != "application/jose+json")
        {
            Violations.Add($"{path}: Content-Type {request.Content?.Headers.ContentType}");
        }
        var jws = JsonDocument.Parse(body).RootElement;
        var members = jws.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (!members.SequenceEqual(["payload", "protected", "signature"]))
        {
            Violations.Add($"{path}: JWS members {string.Join(",", members)}");
        }
        var encodedHeader = jws.GetProperty("protected").GetString()!;
        var encodedPayload = jws.GetProperty("payload").GetString()!;
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(encodedHeader)).RootElement.Clone();
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encodedPayload));
        var nonce = header.GetProperty("nonce").GetString()!;
        if (!_issuedNonces.Contains(nonce) || !_usedNonces.Add(nonce))
        {
            Violations.Add($"{path}: nonce {nonce} was not issued or was used before");
        }
        if (header.GetProperty("url").GetString() != request.RequestUri.AbsoluteUri)
        {
            Violations.Add($"{path}: url {header.GetProperty("url")} is not {request.RequestUri}");
        }
        var hasJwk = header.TryGetProperty("jwk", out var jwk);
        var hasKid = header.TryGetProperty("kid", out var kid);
        if (hasJwk == hasKid || hasJwk != (path == "/new-account"))
        {
            Violations.Add($"{path}: jwk {hasJwk}, kid {hasKid}");
        }
        string? accountUrl = hasKid ? kid.GetString() : null;
        if (hasKid && !_accounts.TryGetValue(accountUrl!, out jwk))
        {
            Violations.Add($"{path}: unknown account {accountUrl}");
            return (header, payload);
        }
        var input = Encoding.ASCII.GetBytes(encodedHeader + "." + encodedPayload);
        var signature = Base64Url.DecodeFromChars(jws.GetProperty("signature").GetString());
        if (!JwsVerifier.Verify(header.GetProperty("alg").GetString()!, jwk, input, signature))
        {
            Violations.Add($"{path}: the signature does not verify");
        }
        return (header, payload);
    }

    private void RequirePostAsGet(string payload, string path)
    {
        if (payload.Length != 0)
        {
            Violations.Add($"{path}: POST-as-GET must have an empty payload, not {payload}");
        }
    }

    private string DirectoryJson()
    {
        var ari = OfferRenewalInfo ? $",\"renewalInfo\":\"{Base}/renewal-info\"" : "";
        var eab = RequireExternalAccount ? ",\"externalAccountRequired\":true" : "";
        return $$$"""{"newNonce":"{{{Base}}}/new-nonce","newAccount":"{{{Base}}}/new-account","newOrder":"{{{Base}}}/new-order","revokeCert":"{{{Base}}}/revoke","keyChange":"{{{Base}}}/key-change"{{{ari}}},"meta":{"termsOfService":"{{{Base}}}/terms"{{{eab}}}}}""";
    }

    private string OrderJson()
    {
        var identifiers = string.Join(",", _orderNames.Select(n => $$"""{"type":"dns","value":"{{n}}"}"""));
        var authorizations = string.Join(",", _orderNames.Select(n => $"\"{Base}/authz/{n}\""));
        var certificate = _orderStatus == "valid" ? $",\"certificate\":\"{Base}/cert/1\"" : "";
        return $$"""{"status":"{{_orderStatus}}","expires":"2026-12-14T10:00:00Z","identifiers":[{{identifiers}}],"authorizations":[{{authorizations}}],"finalize":"{{Base}}/finalize/1"{{certificate}}}""";
    }

    private string AuthorizationJson(string name)
    {
        var status = _authorizationValid.GetValueOrDefault(name) ? "valid" : "pending";
        var challenges = string.Join(",", ChallengeTypes.Select(type =>
            $$"""{"type":"{{type}}","url":"{{Base}}/chall/{{name}}/{{type}}","status":"{{status}}","token":"tok-{{Token(name)}}"}"""));
        return $$"""{"identifier":{"type":"dns","value":"{{name}}"},"status":"{{status}}","expires":"2026-12-14T10:00:00Z","challenges":[{{challenges}}]}""";
    }

    private static string Token(string name) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..22];

    private static string Problem(string type, string detail) =>
        $$"""{"type":"urn:ietf:params:acme:error:{{type}}","detail":"{{detail}}"}""";

    private HttpResponseMessage Json(HttpStatusCode status, string json, string? location = null, string? retryAfter = null, bool problemJson = false, bool nonce = true)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new(problemJson ? "application/problem+json" : "application/json");
        var response = new HttpResponseMessage(status) { Content = content };
        if (location is not null)
        {
            response.Headers.Location = new Uri(location);
        }
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }
        return nonce ? WithNonce(response) : response;
    }

    private HttpResponseMessage WithNonce(HttpResponseMessage response)
    {
        response.Headers.Add("Replay-Nonce", NewNonce());
        return response;
    }

    private string NewNonce()
    {
        var nonce = "nonce" + Interlocked.Increment(ref _nonceCounter);
        _issuedNonces.Add(nonce);
        return nonce;
    }
}
