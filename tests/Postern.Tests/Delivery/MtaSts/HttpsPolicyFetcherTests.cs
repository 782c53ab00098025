using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.TlsReporting;
using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class HttpsPolicyFetcherTests : IDisposable
{
    private const string Domain = "example.org";
    private readonly X509Certificate2 _ca = PolicyTestPki.CreateCa();

    public void Dispose() => _ca.Dispose();

    private PolicyHttpsServer Server(string name = "mta-sts.example.org") => new(PolicyTestPki.CreateServer(_ca, name));

    private HttpsPolicyFetcher Fetcher(PolicyHttpsServer server, TimeProvider? time = null, X509Certificate2Collection? anchors = null) =>
        new(new MtaStsOptions { ConnectTo = server.EndPoint, FetchTimeout = TimeSpan.FromSeconds(30) }, anchors ?? [_ca], time ?? TimeProvider.System);

    private Task<MtaStsFetchResult> Fetch(PolicyHttpsServer server, HttpsPolicyFetcher? fetcher = null) =>
        (fetcher ?? Fetcher(server)).FetchAsync(Domain, CancellationToken.None).AsTask();

    [Fact]
    public async Task The_policy_comes_from_the_well_known_path_of_mta_sts_domain_with_that_name_in_sni_and_host()
    {
        await using var server = Server();

        var result = await Fetch(server);

        Assert.True(result.Body is not null, result.Problem);
        Assert.StartsWith("version: STSv1\r\nmode: enforce\r\n", result.Body, StringComparison.Ordinal);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("mta-sts.example.org", "GET /.well-known/mta-sts.txt HTTP/1.1", "mta-sts.example.org"), request);
    }

    [Fact]
    public async Task A_certificate_from_an_untrusted_ca_is_sts_webpki_invalid()
    {
        await using var server = Server();
        using var otherCa = PolicyTestPki.CreateCa("CN=Some other CA");

        var result = await Fetch(server, Fetcher(server, anchors: [otherCa]));

        Assert.Null(result.Body);
        Assert.Equal(TlsReportResultType.StsWebpkiInvalid, result.ProblemType);
        Assert.Contains("the certificate of mta-sts.example.org did not verify (untrusted chain", result.Problem, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_sts_webpki_invalid()
    {
        await using var server = Server("www.example.org");

        var result = await Fetch(server);

        Assert.Equal(TlsReportResultType.StsWebpkiInvalid, result.ProblemType);
        Assert.Contains("name mismatch", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Answer("301 Moved Permanently", "text/plain", [], extraHeaders: "Location: https://mta-sts.example.org/elsewhere.txt\r\n");

        var result = await Fetch(server);

        Assert.Equal(TlsReportResultType.StsPolicyFetchError, result.ProblemType);
        Assert.Equal("mta-sts.example.org answered HTTP 301 to the policy request", result.Problem);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Not_found_is_a_fetch_error()
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Answer("404 Not Found", "text/plain", "no"u8.ToArray());

        Assert.Equal(TlsReportResultType.StsPolicyFetchError, (await Fetch(server)).ProblemType);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData(null)]
    public async Task A_body_that_is_not_text_plain_is_invalid(string? contentType)
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Answer("200 OK", contentType, "version: STSv1\r\n"u8.ToArray());

        var result = await Fetch(server);

        Assert.Equal(TlsReportResultType.StsPolicyInvalid, result.ProblemType);
        Assert.Contains("not text/plain", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_64_KiB_is_refused_with_or_without_a_length(bool withLength)
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Answer("200 OK", "text/plain", new byte[(64 * 1024) + 1], withLength);

        var result = await Fetch(server);

        Assert.Equal(TlsReportResultType.StsPolicyInvalid, result.ProblemType);
        Assert.Equal("the policy from mta-sts.example.org is larger than 64 KiB", result.Problem);
    }

    [Fact]
    public async Task A_body_of_exactly_64_KiB_is_read()
    {
        await using var server = Server();
        var body = new byte[64 * 1024];
        Array.Fill(body, (byte)'a');
        server.Response = PolicyHttpsServer.Answer("200 OK", "text/plain", body, withLength: false);

        Assert.Equal(64 * 1024, (await Fetch(server)).Body?.Length);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_invalid()
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Answer("200 OK", "text/plain", [0x76, 0xff, 0xfe]);

        Assert.Equal(TlsReportResultType.StsPolicyInvalid, (await Fetch(server)).ProblemType);
    }

    [Fact]
    public async Task A_server_that_never_answers_meets_the_deadline_on_the_injected_clock()
    {
        await using var server = Server();
        server.Silent = true;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var fetch = Fetch(server, Fetcher(server, time));
        await server.RequestRead.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(fetch.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await fetch.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TlsReportResultType.StsPolicyFetchError, result.ProblemType);
        Assert.Equal("fetching the policy from mta-sts.example.org took longer than 30s", result.Problem);
    }

    [Fact]
    public async Task Nobody_listening_is_a_fetch_error()
    {
        var gone = Server();
        var port = gone.EndPoint;
        await gone.DisposeAsync();
        var fetcher = new HttpsPolicyFetcher(new MtaStsOptions { ConnectTo = port }, [_ca], TimeProvider.System);

        var result = await fetcher.FetchAsync(Domain, CancellationToken.None);

        Assert.Equal(TlsReportResultType.StsPolicyFetchError, result.ProblemType);
        Assert.StartsWith("fetching the policy from mta-sts.example.org failed: ", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fetched_body_parses_as_the_policy_served()
    {
        await using var server = Server();
        server.Response = PolicyHttpsServer.Ok("version: STSv1\nmode: testing\nmx: *.example.org\nmax_age: 3600\n");

        var body = (await Fetch(server)).Body!;
        var policy = MtaStsPolicyParser.Parse(body, "x", DateTimeOffset.UnixEpoch, out _);

        Assert.Equal((MtaStsMode.Testing, "*.example.org"), (policy?.Mode, policy?.MxPatterns.Single()));
        Assert.Equal(Encoding.UTF8.GetByteCount(body), body.Length);
    }
}
