using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

public sealed class AcmeClientTests : IDisposable
{
    private static readonly AcmeAccountRequest Registration = new(["mailto:postmaster@example.org"], TermsOfServiceAgreed: true, null, null);

    private readonly FakeAcmeServer _server = new();
    private readonly AcmeAccountKey _key = AcmeAccountKey.CreateEcdsa();
    private readonly AcmeClient _client;

    public AcmeClientTests()
    {
        _client = new AcmeClient(FakeAcmeServer.Directory, _key, _server, TimeProvider.System);
    }

    private static CancellationToken Token => CancellationToken.None;

    [Fact]
    public async Task An_order_goes_from_registration_to_the_downloaded_chain_with_every_request_signed_as_rfc_8555_asks()
    {
        var account = await _client.RegisterAsync(Registration, Token);
        Assert.Equal(new Uri(FakeAcmeServer.Base + "/acct/1"), account.Location);
        Assert.Equal("valid", account.Status);
        Assert.Equal(["mailto:postmaster@example.org"], account.Contact);

        var order = await _client.NewOrderAsync(["mail.example.org", "mx.example.org"], null, Token);
        Assert.Equal("pending", order.Status);
        Assert.Equal(["mail.example.org", "mx.example.org"], order.Identifiers);
        Assert.Equal(2, order.Authorizations.Count);
        foreach (var url in order.Authorizations)
        {
            var authorization = await _client.GetAuthorizationAsync(url, Token);
            Assert.Equal("pending", authorization.Status);
            var challenge = authorization.Challenges.Single(c => c.Type == "http-01");
            Assert.StartsWith(challenge.Token + ".", _client.KeyAuthorization(challenge.Token), StringComparison.Ordinal);
            var answered = await _client.AnswerChallengeAsync(challenge.Url, Token);
            Assert.Equal("processing", answered.Status);
            Assert.Equal("valid", (await _client.GetAuthorizationAsync(url, Token)).Status);
        }
        Assert.Equal("ready", (await _client.GetOrderAsync(order.Location, Token)).Status);

        using var certificateKey = AcmeCsr.CreateKey(Postern.Pki.Acme.AcmeKeyTypes.Ecdsa);
        var finalized = await _client.FinalizeAsync(order.Finalize, AcmeCsr.Create(["mail.example.org", "mx.example.org"], certificateKey), Token);
        Assert.Equal("valid", finalized.Status);
        Assert.Equal(order.Location, finalized.Location);
        var chain = await _client.DownloadCertificateAsync(finalized.Certificate!, Token);

        using var leaf = X509Certificate2.CreateFromPem(chain);
        Assert.Equal(["mail.example.org", "mx.example.org"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.Equal("CN=mail.example.org", _server.LastCsrSubject);
        Assert.Empty(_server.Violations);
        // One HEAD for the first nonce; every later one came with the previous answer.
        Assert.Single(_server.Log, entry => entry == "HEAD /new-nonce");
        Assert.Single(_server.Log, entry => entry == "GET /directory");
    }

    [Fact]
    public async Task Finalize_without_a_location_header_gives_the_order_its_own_url()
    {
        _server.FinalizeSendsLocation = false;
        await _client.RegisterAsync(Registration, Token);
        var order = await _client.NewOrderAsync(["mail.example.org"], null, Token);
        var authorization = await _client.GetAuthorizationAsync(order.Authorizations[0], Token);
        await _client.AnswerChallengeAsync(authorization.Challenges[0].Url, Token);
        using var key = AcmeCsr.CreateKey(Postern.Pki.Acme.AcmeKeyTypes.Ecdsa);

        var finalized = await _client.FinalizeAsync(order.Finalize, AcmeCsr.Create(["mail.example.org"], key), Token);

        Assert.Equal(order.Location, finalized.Location);
        Assert.Equal("valid", (await _client.GetOrderAsync(finalized.Location, Token)).Status);
    }

    [Fact]
    public async Task New_account_carries_the_jwk_and_later_requests_the_account_url_as_kid()
    {
        await _client.RegisterAsync(Registration, Token);
        await _client.NewOrderAsync(["mail.example.org"], null, Token);

        var (first, payload) = _server.Signed[0];
        Assert.Equal("ES256", first.GetProperty("alg").GetString());
        Assert.Equal(Encoding.UTF8.GetString(_key.Jwk.Span), first.GetProperty("jwk").GetRawText());
        Assert.Equal("""{"contact":["mailto:postmaster@example.org"],"termsOfServiceAgreed":true}""", payload);
        var second = _server.Signed[1].Header;
        Assert.Equal(FakeAcmeServer.Base + "/acct/1", second.GetProperty("kid").GetString());
        Assert.False(second.TryGetProperty("jwk", out _));
        Assert.Equal("""{"identifiers":[{"type":"dns","value":"mail.example.org"}]}""", _server.Signed[1].Payload);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task A_known_account_url_is_used_without_registering()
    {
        await _client.RegisterAsync(Registration, Token);
        using var second = new AcmeClient(FakeAcmeServer.Directory, _key, new ForwardingHandler(_server), TimeProvider.System);
        second.UseAccount(new Uri(FakeAcmeServer.Base + "/acct/1"));

        var order = await second.NewOrderAsync(["mail.example.org"], null, Token);

        Assert.Equal("pending", order.Status);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Requests_before_an_account_are_refused_in_the_client()
    {
        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.NewOrderAsync(["mail.example.org"], null, Token));

        Assert.Contains("no ACME account yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rsa_account_key_signs_rs256()
    {
        using var rsa = AcmeAccountKey.FromRsa(System.Security.Cryptography.RSA.Create(2048));
        using var client = new AcmeClient(FakeAcmeServer.Directory, rsa, new ForwardingHandler(_server), TimeProvider.System);

        await client.RegisterAsync(Registration, Token);
        await client.NewOrderAsync(["mail.example.org"], null, Token);

        Assert.All(_server.Signed, s => Assert.Equal("RS256", s.Header.GetProperty("alg").GetString()));
        Assert.Empty(_server.Violations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task BadNonce_is_answered_by_signing_again_with_the_fresh_nonce(int rejections)
    {
        await _client.RegisterAsync(Registration, Token);
        _server.RejectNonces = rejections;

        var order = await _client.NewOrderAsync(["mail.example.org"], null, Token);

        Assert.Equal("pending", order.Status);
        Assert.Equal(rejections + 1, _server.Log.Count(e => e == "POST /new-order"));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task A_fourth_badNonce_stands()
    {
        await _client.RegisterAsync(Registration, Token);
        _server.RejectNonces = 4;

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.NewOrderAsync(["mail.example.org"], null, Token));

        Assert.Equal("badNonce", error.Problem!.ShortType);
        Assert.Equal(4, _server.Log.Count(e => e == "POST /new-order"));
    }

    [Fact]
    public async Task A_rate_limit_is_an_exception_with_the_problem_and_retry_after()
    {
        await _client.RegisterAsync(Registration, Token);
        _server.Intercept = request => request.RequestUri!.AbsolutePath != "/new-order" ? null
            : Problem(HttpStatusCode.TooManyRequests, """{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued for \"example.org\"","status":429}""", retryAfter: "3600");

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.NewOrderAsync(["mail.example.org"], null, Token));

        Assert.True(error.IsRateLimited);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Equal(429, error.Problem!.Status);
        Assert.Equal("new-order: rateLimited: too many certificates already issued for \"example.org\" (429)", error.Message);
    }

    [Fact]
    public async Task Subproblems_name_each_identifier_in_the_message()
    {
        await _client.RegisterAsync(Registration, Token);
        _server.Intercept = request => request.RequestUri!.AbsolutePath != "/new-order" ? null
            : Problem(HttpStatusCode.BadRequest, """
                {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"some names are forbidden","status":400,
                 "subproblems":[{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"policy forbids this name","identifier":{"type":"dns","value":"bad.example"}}]}
                """);

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.NewOrderAsync(["mail.example.org", "bad.example"], null, Token));

        Assert.Equal("bad.example", Assert.Single(error.Problem!.Subproblems).Identifier);
        Assert.EndsWith("; bad.example: rejectedIdentifier: policy forbids this name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_without_a_problem_document_names_the_http_status()
    {
        _server.Intercept = request => request.RequestUri!.AbsolutePath == "/directory"
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<html>down</html>"), Headers = { { "Retry-After", "120" } } }
            : null;

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.GetDirectoryAsync(Token));

        Assert.Equal("directory: acme.test answered HTTP 503 Service Unavailable", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(2), error.RetryAfter);
        Assert.Null(error.Problem);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        _server.Intercept = request => request.RequestUri!.AbsolutePath == "/directory"
            ? new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("https://elsewhere.test/directory") } }
            : null;

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.GetDirectoryAsync(Token));

        Assert.Contains("HTTP 302", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_over_the_cap_is_refused()
    {
        _server.Intercept = request => request.RequestUri!.AbsolutePath == "/directory"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"x\":\"" + new string('a', 70 * 1024) + "\"}") }
            : null;

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.GetDirectoryAsync(Token));

        Assert.Equal("directory: acme.test sent an answer larger than 64 KiB", error.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_meets_the_deadline()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var hanging = new AcmeClient(FakeAcmeServer.Directory, _key, new HangingHandler(), time, TimeSpan.FromSeconds(30));

        var pending = hanging.GetDirectoryAsync(Token);
        await Task.Delay(50, Token);
        time.Advance(TimeSpan.FromSeconds(31));
        var error = await Assert.ThrowsAsync<AcmeException>(() => pending);

        Assert.Equal("directory: acme.test did not answer within 30 s", error.Message);
    }

    [Fact]
    public async Task External_account_binding_is_an_hs256_jws_over_the_account_key()
    {
        _server.RequireExternalAccount = true;
        var request = Registration with { EabKeyId = _server.EabKeyId, EabHmacKey = _server.EabMacKey };

        var account = await _client.RegisterAsync(request, Token);

        Assert.Equal("valid", account.Status);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task A_wrong_eab_mac_key_is_caught_by_the_server()
    {
        _server.RequireExternalAccount = true;
        var request = Registration with { EabKeyId = _server.EabKeyId, EabHmacKey = new byte[32] };

        await _client.RegisterAsync(request, Token);

        Assert.Contains("EAB: the HS256 MAC does not verify", _server.Violations);
    }

    [Fact]
    public async Task Without_eab_a_ca_that_requires_it_is_refused_with_the_settings_to_set()
    {
        _server.RequireExternalAccount = true;

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.RegisterAsync(Registration, Token));

        Assert.Contains("set acme.eab_kid and acme.eab_hmac_key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("POST /new-account", _server.Log);
    }

    [Fact]
    public async Task Only_return_existing_finds_the_account_or_says_there_is_none()
    {
        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.RegisterAsync(Registration with { OnlyReturnExisting = true }, Token));
        Assert.Equal("accountDoesNotExist", error.Problem!.ShortType);

        await _client.RegisterAsync(Registration, Token);
        var existing = await _client.RegisterAsync(Registration with { OnlyReturnExisting = true }, Token);

        Assert.Equal(new Uri(FakeAcmeServer.Base + "/acct/1"), existing.Location);
        Assert.Contains("\"onlyReturnExisting\":true", _server.Signed[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaces_goes_only_to_a_server_that_offers_renewal_information()
    {
        await _client.RegisterAsync(Registration, Token);
        await _client.NewOrderAsync(["mail.example.org"], "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", Token);
        Assert.DoesNotContain("replaces", _server.Signed[^1].Payload, StringComparison.Ordinal);

        _server.OfferRenewalInfo = true;
        using var ari = new AcmeClient(FakeAcmeServer.Directory, _key, new ForwardingHandler(_server), TimeProvider.System);
        ari.UseAccount(new Uri(FakeAcmeServer.Base + "/acct/1"));
        await ari.NewOrderAsync(["mail.example.org"], "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", Token);

        Assert.EndsWith(""","replaces":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"}""", _server.Signed[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewal_information_is_fetched_by_certificate_id_with_its_retry_after()
    {
        _server.OfferRenewalInfo = true;
        using var certificate = X509CertificateLoader.LoadCertificate(AriCertificateIdTests.Rfc9773ExampleDer());

        var info = await _client.GetRenewalInfoAsync(certificate, Token);

        Assert.NotNull(info);
        Assert.Contains("GET /renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", _server.Log);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), info.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), info.WindowEnd);
        Assert.Equal(TimeSpan.FromHours(6), info.RetryAfter);
        Assert.Equal(new Uri("https://acme.test/docs/ari"), info.ExplanationUrl);
    }

    [Fact]
    public async Task Without_renewal_info_in_the_directory_there_is_none()
    {
        using var certificate = X509CertificateLoader.LoadCertificate(AriCertificateIdTests.Rfc9773ExampleDer());

        Assert.Null(await _client.GetRenewalInfoAsync(certificate, Token));
        Assert.DoesNotContain(_server.Log, e => e.StartsWith("GET /renewal-info", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chain_with_anything_but_certificates_is_refused()
    {
        await _client.RegisterAsync(Registration, Token);
        _server.Intercept = request => request.RequestUri!.AbsolutePath != "/cert/1" ? null
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") };

        var error = await Assert.ThrowsAsync<AcmeException>(() => _client.DownloadCertificateAsync(new Uri(FakeAcmeServer.Base + "/cert/1"), Token));

        Assert.Equal("certificate: the chain holds a PEM PRIVATE KEY block, not only certificates", error.Message);
    }

    [Fact]
    public void A_key_authorization_is_the_token_and_the_thumbprint()
    {
        Assert.Equal("tok-123." + _key.Thumbprint, _client.KeyAuthorization("tok-123"));
        Assert.Throws<AcmeException>(() => _client.KeyAuthorization("../../etc/passwd"));
    }

    public void Dispose()
    {
        _client.Dispose();
        _key.Dispose();
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string json, string? retryAfter = null)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new("application/problem+json");
        var response = new HttpResponseMessage(status) { Content = content };
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }
        return response;
    }

    /// <summary>A second client on the same fake server (the client owns and disposes its handler).</summary>
    private sealed class ForwardingHandler(FakeAcmeServer server) : DelegatingHandler(new Passthrough(server))
    {
        private sealed class Passthrough(FakeAcmeServer server) : HttpMessageHandler
        {
            private readonly HttpMessageInvoker _invoker = new(server, disposeHandler: false);

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                _invoker.SendAsync(request, cancellationToken);
        }
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("never");
        }
    }
}
