using System.Text;
using Postern.Pki.Acme.Protocol;

namespace Postern.Tests.Pki.Acme;

/// <summary>What an ACME server may send, and what the client refuses of it.</summary>
public sealed class AcmeResponseParserTests
{
    private static readonly Uri Location = new("https://acme.test/order/1");

    [Theory]
    [InlineData("pending")]
    [InlineData("ready")]
    [InlineData("processing")]
    [InlineData("valid")]
    [InlineData("invalid")]
    public void Every_order_status_of_rfc_8555_parses(string status)
    {
        var certificate = status == "valid" ? ",\"certificate\":\"https://acme.test/cert/1\"" : "";
        var json = $$"""{"status":"{{status}}","expires":"2026-12-14T10:00:00Z","identifiers":[{"type":"dns","value":"mail.example.org"}],"authorizations":["https://acme.test/authz/1"],"finalize":"https://acme.test/finalize/1"{{certificate}}}""";

        var order = AcmeResponseParser.Order(Bytes(json), Location, TimeSpan.FromSeconds(3));

        Assert.Equal(status, order.Status);
        Assert.Equal(Location, order.Location);
        Assert.Equal(["mail.example.org"], order.Identifiers);
        Assert.Equal([new Uri("https://acme.test/authz/1")], order.Authorizations);
        Assert.Equal(new Uri("https://acme.test/finalize/1"), order.Finalize);
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 10, 0, 0, TimeSpan.Zero), order.Expires);
        Assert.Equal(TimeSpan.FromSeconds(3), order.RetryAfter);
        Assert.Equal(status == "valid", order.Certificate is not null);
    }

    [Fact]
    public void An_invalid_order_carries_its_error()
    {
        var json = """{"status":"invalid","finalize":"https://acme.test/f","error":{"type":"urn:ietf:params:acme:error:unauthorized","detail":"Incorrect TXT record","status":403}}""";

        var order = AcmeResponseParser.Order(Bytes(json), Location, null);

        Assert.Equal("unauthorized", order.Error!.ShortType);
        Assert.Equal("Incorrect TXT record", order.Error.Detail);
        Assert.Equal(403, order.Error.Status);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("valid")]
    [InlineData("invalid")]
    [InlineData("deactivated")]
    [InlineData("expired")]
    [InlineData("revoked")]
    public void Every_authorization_status_parses(string status)
    {
        var json = $$"""{"identifier":{"type":"dns","value":"example.org"},"status":"{{status}}","wildcard":true,"challenges":[{"type":"dns-01","url":"https://acme.test/chall/1","status":"pending","token":"DGyRejmCefe7v4NfDGDKfA"}]}""";

        var authorization = AcmeResponseParser.Authorization(Bytes(json), new Uri("https://acme.test/authz/1"), null);

        Assert.Equal(status, authorization.Status);
        Assert.Equal("example.org", authorization.Identifier);
        Assert.True(authorization.Wildcard);
        var challenge = Assert.Single(authorization.Challenges);
        Assert.Equal(("dns-01", "pending", "DGyRejmCefe7v4NfDGDKfA"), (challenge.Type, challenge.Status, challenge.Token));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("processing")]
    [InlineData("valid")]
    [InlineData("invalid")]
    public void Every_challenge_status_parses(string status)
    {
        var json = $$"""{"type":"http-01","url":"https://acme.test/chall/1","status":"{{status}}","token":"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0","validated":"2026-12-07T10:00:00Z"}""";

        Assert.Equal(status, AcmeResponseParser.Challenge(Bytes(json)).Status);
    }

    [Theory]
    [InlineData("""{"status":"done","finalize":"https://acme.test/f"}""", "has the unknown status done")]
    [InlineData("""{"finalize":"https://acme.test/f"}""", "has no status")]
    [InlineData("""{"status":"pending"}""", "has no finalize")]
    [InlineData("""{"status":"pending","finalize":"http://acme.test/f"}""", "has a finalize that is not an https URL")]
    [InlineData("""{"status":"pending","finalize":"/f"}""", "has a finalize that is not an https URL")]
    [InlineData("""{"status":"valid","finalize":"https://acme.test/f"}""", "is valid but has no certificate URL")]
    [InlineData("""{"status":"pending","finalize":"https://acme.test/f","expires":"tomorrow"}""", "has a expires that is not an RFC 3339 time")]
    [InlineData("""{"status":"pending","finalize":"https://acme.test/f","identifiers":[{"type":"dns"}]}""", "has an identifier without a printable value")]
    [InlineData("""{"status":1}""", "is not valid JSON")]
    [InlineData("""[]""", "is not valid JSON")]
    [InlineData("""null""", "is null")]
    [InlineData("""{"status":"pending",""", "is not valid JSON")]
    public void A_broken_order_is_refused_with_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<AcmeException>(() => AcmeResponseParser.Order(Bytes(json), Location, null));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("the ACME server sent an order that ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("a/b")]
    [InlineData("")]
    public void A_token_that_is_not_base64url_is_refused(string token)
    {
        var json = $$"""{"type":"http-01","url":"https://acme.test/c","status":"pending","token":"{{token}}"}""";

        Assert.Throws<AcmeException>(() => AcmeResponseParser.Challenge(Bytes(json)));
    }

    [Fact]
    public void A_problem_document_with_subproblems_parses_and_its_texts_are_fit_for_a_log_line()
    {
        var json = """
            {"type":"urn:ietf:params:acme:error:malformed","detail":"Some of the identifiers requested were rejected\nsecond line","status":400,
             "subproblems":[
               {"type":"urn:ietf:params:acme:error:malformed","detail":"Invalid underscore in DNS name \"_example.org\"","identifier":{"type":"dns","value":"_example.org"}},
               {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"This CA will not issue for \"example.net\"","identifier":{"type":"dns","value":"example.net"}}]}
            """;

        var problem = AcmeResponseParser.Problem(Bytes(json), 400);

        Assert.Equal("malformed", problem.ShortType);
        Assert.Equal("Some of the identifiers requested were rejected second line", problem.Detail);
        Assert.Equal(["_example.org", "example.net"], problem.Subproblems.Select(s => s.Identifier));
        Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", problem.Subproblems[1].Type);
    }

    [Fact]
    public void A_problem_without_type_or_status_is_about_blank_with_the_http_status()
    {
        var problem = AcmeResponseParser.Problem(Bytes("""{"detail":"oops"}"""), 500);

        Assert.Equal(("about:blank", 500), (problem.Type, problem.Status));
    }

    [Fact]
    public void A_long_detail_is_cut_for_the_log()
    {
        var problem = AcmeResponseParser.Problem(Bytes($$"""{"type":"x","detail":"{{new string('d', 5000)}}"}"""), 400);

        Assert.Equal(303, problem.Detail!.Length);
    }

    [Fact]
    public void The_directory_gives_its_urls_and_meta()
    {
        var json = """
            {"newNonce":"https://acme.test/nonce","newAccount":"https://acme.test/acct","newOrder":"https://acme.test/order","revokeCert":"https://acme.test/revoke",
             "keyChange":"https://acme.test/kc","renewalInfo":"https://acme.test/ari","meta":{"termsOfService":"https://acme.test/tos","externalAccountRequired":true,"profiles":{"classic":"x"}},
             "aGl5b3U":"https://community.letsencrypt.org/t/adding-random-entries-to-the-directory/33417"}
            """;

        var directory = AcmeResponseParser.Directory(Bytes(json));

        Assert.Equal(new Uri("https://acme.test/nonce"), directory.NewNonce);
        Assert.Equal(new Uri("https://acme.test/ari"), directory.RenewalInfo);
        Assert.Equal(new Uri("https://acme.test/tos"), directory.TermsOfService);
        Assert.True(directory.ExternalAccountRequired);
    }

    [Fact]
    public void Pebbles_directory_with_its_data_url_terms_parses()
    {
        var json = """{"keyChange":"https://127.0.0.1:14000/rollover-account-key","meta":{"externalAccountRequired":false,"termsOfService":"data:text/plain,Do%20what%20thou%20wilt"},"newAccount":"https://127.0.0.1:14000/sign-me-up","newNonce":"https://127.0.0.1:14000/nonce-plz","newOrder":"https://127.0.0.1:14000/order-plz","revokeCert":"https://127.0.0.1:14000/revoke-cert"}""";

        var directory = AcmeResponseParser.Directory(Bytes(json));

        Assert.Equal("data", directory.TermsOfService!.Scheme);
        Assert.Null(directory.RenewalInfo);
        Assert.False(directory.ExternalAccountRequired);
    }

    [Fact]
    public void A_directory_without_new_order_is_refused()
    {
        var error = Assert.Throws<AcmeException>(() => AcmeResponseParser.Directory(Bytes("""{"newNonce":"https://a/n","newAccount":"https://a/a"}""")));

        Assert.Equal("the ACME server sent a directory that has no newOrder", error.Message);
    }

    [Theory]
    [InlineData("2026-11-03T00:00:00Z", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z")]
    public void A_renewal_window_that_ends_before_it_starts_is_refused(string start, string end)
    {
        var json = $$$"""{"suggestedWindow":{"start":"{{{start}}}","end":"{{{end}}}"}}""";

        Assert.Throws<AcmeException>(() => AcmeResponseParser.RenewalInfo(Bytes(json), null));
    }

    [Fact]
    public void Renewal_times_with_offsets_and_nanoseconds_parse()
    {
        var json = """{"suggestedWindow":{"start":"2026-11-01T02:00:00+02:00","end":"2026-11-03T00:00:00.999999999Z"}}""";

        var info = AcmeResponseParser.RenewalInfo(Bytes(json), null);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), info.WindowStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero).AddTicks(9999999), info.WindowEnd);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
