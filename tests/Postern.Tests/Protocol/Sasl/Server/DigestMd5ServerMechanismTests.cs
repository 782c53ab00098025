using Postern.Protocol.Sasl.Server;
using static Postern.Tests.Protocol.Sasl.Server.SaslTestSupport;

namespace Postern.Tests.Protocol.Sasl.Server;

public sealed class DigestMd5ServerMechanismTests
{
    private const string RfcRealm = "elwood.innosoft.com";
    private const string RfcNonce = "OA6MG9tEQGm2hh";
    private const string RfcResponse =
        "charset=utf-8,username=\"chris\",realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",nc=00000001,cnonce=\"OA6MHXh6VqTrRk\",digest-uri=\"imap/elwood.innosoft.com\",response=d388dad90d4bbd760a152321f2143af7,qop=auth";

    private readonly FakeUserDirectory _users = new(User("chris", "secret"), User("nosecret", "secret", passwordEquivalent: false));

    [Fact]
    public void Rfc_2831_example_response_and_rspauth()
    {
        Assert.Equal("d388dad90d4bbd760a152321f2143af7",
            DigestMd5Digest.Compute("chris", RfcRealm, "secret", RfcNonce, "OA6MHXh6VqTrRk", "00000001", "imap/elwood.innosoft.com", null, serverProof: false));
        Assert.Equal("ea40f60335c427b5527b84dbabcdfffd",
            DigestMd5Digest.Compute("chris", RfcRealm, "secret", RfcNonce, "OA6MHXh6VqTrRk", "00000001", "imap/elwood.innosoft.com", null, serverProof: true));
    }

    [Fact]
    public async Task Rfc_2831_example_exchange()
    {
        var digest = new DigestMd5ServerMechanism(Context(_users, RfcRealm), RfcNonce, "imap");
        var challenge = Text(await StepAsync(digest, (string?)null));
        Assert.Equal("realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\",charset=utf-8,algorithm=md5-sess", challenge);
        var step = await StepAsync(digest, RfcResponse);
        AssertSuccess(step, "chris");
        Assert.Equal("rspauth=ea40f60335c427b5527b84dbabcdfffd", Text(step));
    }

    [Fact]
    public async Task Smtp_exchange_with_a_fresh_nonce()
    {
        var digest = Create("DIGEST-MD5", Context(_users));
        var challenge = DigestMd5Directives.Parse(Text(await StepAsync(digest, (string?)null)), out _)!;
        Assert.Equal("mx.example.org", challenge["realm"]);
        var step = await StepAsync(digest, ClientResponse(challenge["nonce"], "chris", "secret"));
        AssertSuccess(step, "chris");
        Assert.StartsWith("rspauth=", Text(step), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chris", "wrong")]
    [InlineData("nobody", "secret")]
    [InlineData("nosecret", "secret")]
    public async Task Wrong_password_unknown_user_and_missing_secret_are_bad_credentials(string user, string password)
    {
        var digest = Create("DIGEST-MD5", Context(_users));
        var challenge = DigestMd5Directives.Parse(Text(await StepAsync(digest, (string?)null)), out _)!;
        AssertFailure(await StepAsync(digest, ClientResponse(challenge["nonce"], user, password)), SaslFailureReason.BadCredentials);
    }

    [Theory]
    [InlineData("nc=00000001", "nc=00000002")]
    [InlineData("nonce=\"OA6MG9tEQGm2hh\"", "nonce=\"OA6MG9tEQGm2hX\"")]
    [InlineData("digest-uri=\"imap/elwood.innosoft.com\"", "digest-uri=\"imap/evil.example\"")]
    [InlineData("digest-uri=\"imap/elwood.innosoft.com\"", "digest-uri=\"smtp/elwood.innosoft.com\"")]
    [InlineData("realm=\"elwood.innosoft.com\"", "realm=\"other.example\"")]
    [InlineData("qop=auth", "qop=auth-conf")]
    [InlineData("qop=auth", "qop=auth,qop=auth")]
    [InlineData("charset=utf-8", "charset=iso-8859-1")]
    [InlineData(",response=d388dad90d4bbd760a152321f2143af7", "")]
    [InlineData("response=d388dad90d4bbd760a152321f2143af7", "response=d388dad90d4bbd760a152321f2143af")]
    [InlineData("username=\"chris\"", "username=\"chris")]
    [InlineData("username=\"chris\"", "username")]
    public async Task Malformed_or_mismatched_responses_are_refused(string from, string to)
    {
        var digest = new DigestMd5ServerMechanism(Context(_users, RfcRealm), RfcNonce, "imap");
        await StepAsync(digest, (string?)null);
        AssertFailure(await StepAsync(digest, RfcResponse.Replace(from, to, StringComparison.Ordinal)), SaslFailureReason.Malformed);
    }

    [Fact]
    public async Task An_altered_digest_is_bad_credentials_and_an_initial_response_is_malformed()
    {
        var digest = new DigestMd5ServerMechanism(Context(_users, RfcRealm), RfcNonce, "imap");
        await StepAsync(digest, (string?)null);
        AssertFailure(await StepAsync(digest, RfcResponse.Replace("d388dad9", "d388dad8", StringComparison.Ordinal)), SaslFailureReason.BadCredentials);
        AssertFailure(await StepAsync(Create("DIGEST-MD5", Context(_users)), "username=\"chris\""), SaslFailureReason.Malformed);
    }

    [Theory]
    [InlineData("smtp/192.0.2.25", true)]
    [InlineData("smtp/[192.0.2.25]", true)]
    [InlineData("smtp/2001:db8::25", true)]
    [InlineData("smtp/192.0.2.26", false)]
    [InlineData("imap/192.0.2.25", false)]
    public async Task The_digest_uri_may_name_the_address_the_client_connected_to(string uri, bool accepted)
    {
        // swaks (Authen::SASL) connecting to --server 192.0.2.25 puts the address in digest-uri.
        var digest = Create("DIGEST-MD5", Context(_users) with { ServerAddresses = ["192.0.2.25", "2001:db8::25"] });
        var challenge = DigestMd5Directives.Parse(Text(await StepAsync(digest, (string?)null)), out _)!;
        var step = await StepAsync(digest, ClientResponse(challenge["nonce"], "chris", "secret", uri: uri));
        if (accepted)
        {
            AssertSuccess(step, "chris");
        }
        else
        {
            AssertFailure(step, SaslFailureReason.Malformed);
        }
    }

    [Fact]
    public async Task A_different_authzid_is_refused()
    {
        var digest = Create("DIGEST-MD5", Context(_users));
        var challenge = DigestMd5Directives.Parse(Text(await StepAsync(digest, (string?)null)), out _)!;
        AssertFailure(await StepAsync(digest, ClientResponse(challenge["nonce"], "chris", "secret", "nosecret")), SaslFailureReason.AuthorizationRefused);
    }

    [Fact]
    public void Directive_lists_allow_spaces_empty_elements_and_escapes()
    {
        var directives = DigestMd5Directives.Parse(" a = \"x\\\"y\" ,, B=tok ,", out var problem)!;
        Assert.Equal("", problem);
        Assert.Equal("x\"y", directives["a"]);
        Assert.Equal("tok", directives["b"]);
    }

    private static string ClientResponse(string nonce, string user, string password, string? authzid = null, string uri = "smtp/mx.example.org")
    {
        var response = DigestMd5Digest.Compute(user, "mx.example.org", password, nonce, "cn0nce", "00000001", uri, authzid, serverProof: false);
        return $"charset=utf-8,username=\"{user}\",realm=\"mx.example.org\",nonce=\"{nonce}\",nc=00000001,cnonce=\"cn0nce\",digest-uri=\"{uri}\",response={response},qop=auth"
            + (authzid is null ? "" : $",authzid=\"{authzid}\"");
    }
}
