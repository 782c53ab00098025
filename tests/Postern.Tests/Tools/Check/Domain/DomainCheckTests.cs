using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Testing.Smtp;
using Postern.Tests.Delivery;
using Postern.Tests.Delivery.MtaSts;
using Postern.Tests.Pki.Tls;
using Postern.Tools.Check;
using Postern.Tools.Check.Domain;

namespace Postern.Tests.Tools.Check.Domain;

/// <summary>
/// The domain check against a loopback MX (the SMTP sink with STARTTLS and a certificate from a
/// test CA) with DNS, TLSA, MTA-STS and TLS-RPT answers from fakes.
/// </summary>
public sealed class DomainCheckTests : IDisposable
{
    private const string Domain = "example.org";
    private const string Enforce = "version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 86400\n";

    private readonly TempDirectory _temp = new();
    private readonly X509Certificate2 _ca = PolicyTestPki.CreateCa("CN=Domain check test CA");
    private readonly FakeTxtResolver _txt = new();
    private readonly FakePolicyFetcher _fetcher = new() { Next = MtaStsFetchResult.Success(Enforce) };
    private readonly FakeTlsa _tlsa = new();
    private readonly FakeTlsRpt _tlsRpt = new();
    private readonly MtaStsPolicyCache _cache;

    public DomainCheckTests()
    {
        _cache = new MtaStsPolicyCache(_temp.Combine("mta-sts"));
        _cache.EnsureDirectory();
        _txt.Set("_mta-sts.example.org", "v=STSv1; id=20261201");
        _tlsRpt.Records = ["v=TLSRPTv1; rua=mailto:tlsrpt@example.org"];
    }

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    private async Task<(DomainCheckResult Result, IReadOnlyList<CheckFinding> Findings, int Exit)> RunAsync(RelayDestination mx)
    {
        var source = new MtaStsPolicySource(_txt, _fetcher, _cache, TimeProvider.System, new CollectingLogger(), storeFetched: false);
        var services = new DomainCheckServices(new FixedMx(mx), _tlsa, _txt, _fetcher, _cache, source, _tlsRpt);
        var request = new CheckRequest(new CheckTarget(Domain, 25)) { TrustAnchors = [_ca], Timeout = TimeSpan.FromSeconds(20), HeloName = "check.test" };
        var result = await new DomainCheck(services, new MxTlsProbe(request, TimeProvider.System), TimeProvider.System).RunAsync(Domain, CancellationToken.None);
        var findings = DomainCheckFindings.Evaluate(result);
        return (result, findings, DomainCheckFindings.ExitCode(result, findings));
    }

    private SmtpSink Mx(string certificateName) =>
        new(new SinkOptions { StartTls = true, Certificate = PolicyTestPki.CreateServer(_ca, certificateName) });

    private static RelayDestination Destination(SmtpSink sink, string name = "mx.example.org", bool secure = true) =>
        new(RelayDestinationStatus.Ok, [new RelayHost(name, [IPAddress.Loopback], sink.Port) { DnssecSecure = secure }], OutboundTlsPolicy.May) { IsMxDelivery = true };

    private static TlsaAssociation DaneEe(X509Certificate2 certificate) =>
        new(TlsaAssociation.DaneEe, 1, 1, SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    [Fact]
    public async Task A_domain_with_matching_tlsa_mta_sts_enforce_and_tls_rpt_is_clean()
    {
        await using var sink = Mx("mx.example.org");
        _tlsa.Next = new TlsaLookup(TlsaLookupStatus.Secure, [DaneEe(sink.Options.Certificate!)], "mx.example.org");

        var (result, findings, exit) = await RunAsync(Destination(sink));

        Assert.True(exit == 0, string.Join("\n", findings));
        var host = Assert.Single(result.Mx.Hosts);
        Assert.True(host.DnssecSecure);
        Assert.StartsWith("3 1 1 ", host.DaneMatch, StringComparison.Ordinal);
        Assert.Equal("*.example.org", host.MtaStsPattern);
        Assert.Equal("dane", host.Plan);
        Assert.Equal((true, true, true), (host.Tls!.StartTlsOffered, host.Tls.PkixVerified, host.Tls.NameMatches));
        Assert.Equal(("found", "20261201", "enforce"), (result.MtaSts.TxtStatus, result.MtaSts.Published?.Id, result.MtaSts.InForce?.Mode));
        Assert.Equal(["mailto:tlsrpt@example.org"], result.TlsRpt.Destinations);
        Assert.Contains(findings, f => f.Code == "dane-match");
        Assert.Empty(Directory.GetFiles(_cache.Directory));
        Assert.Contains("QUIT", sink.Commands);
        Assert.DoesNotContain(sink.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_that_matches_no_tlsa_record_is_a_problem()
    {
        await using var sink = Mx("mx.example.org");
        _tlsa.Next = new TlsaLookup(TlsaLookupStatus.Secure, [new TlsaAssociation(3, 1, 1, new byte[32])], "mx.example.org");

        var (result, findings, exit) = await RunAsync(Destination(sink));

        Assert.Equal(CheckExitCodes.ProblemsFound, exit);
        Assert.Null(Assert.Single(result.Mx.Hosts).DaneMatch);
        Assert.Contains(findings, f => f is { Severity: FindingSeverity.Problem, Code: "tlsa-mismatch" });
    }

    [Fact]
    public async Task Tlsa_records_under_an_insecure_mx_answer_are_not_compared()
    {
        await using var sink = Mx("mx.example.org");
        _tlsa.Next = new TlsaLookup(TlsaLookupStatus.Secure, [new TlsaAssociation(3, 1, 1, new byte[32])], "mx.example.org");

        var (result, findings, exit) = await RunAsync(Destination(sink, secure: false));

        Assert.Equal(0, exit);
        Assert.Null(Assert.Single(result.Mx.Hosts).DaneProblem);
        Assert.Equal("sts-enforce", result.Mx.Hosts[0].Plan);
        Assert.Contains(findings, f => f.Code == "dnssec-insecure");
    }

    [Fact]
    public async Task An_mx_outside_the_enforced_policy_is_named()
    {
        await using var sink = Mx("mx2.example.net");

        var (result, findings, exit) = await RunAsync(Destination(sink, "mx2.example.net"));

        Assert.Equal(CheckExitCodes.ProblemsFound, exit);
        var host = Assert.Single(result.Mx.Hosts);
        Assert.Null(host.MtaStsPattern);
        Assert.Equal("skip", host.Plan);
        Assert.Contains("mx2.example.net", host.SkipReply, StringComparison.Ordinal);
        var finding = Assert.Single(findings, f => f.Code == "mta-sts-mx-not-in-policy");
        Assert.Equal("MTA-STS enforce: mx2.example.net not in policy: delivery skips this host", finding.Message);
    }

    [Fact]
    public async Task A_certificate_for_another_name_fails_the_mta_sts_check()
    {
        await using var sink = Mx("www.example.org");

        var (result, findings, _) = await RunAsync(Destination(sink, "mx.example.org"));

        Assert.False(Assert.Single(result.Mx.Hosts).Tls!.NameMatches);
        Assert.Contains(findings, f => f.Code == "mta-sts-certificate-invalid" && f.Message.Contains("does not name mx.example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unfetchable_policy_is_a_problem_and_the_cache_is_shown()
    {
        await using var sink = Mx("mx.example.org");
        var cached = MtaStsPolicyParser.Parse(Enforce, "old1", DateTimeOffset.UtcNow.AddHours(-1), out _)!;
        _cache.Write(Domain, cached);
        _fetcher.Next = MtaStsFetchResult.Failure(TlsReportResultType.StsWebpkiInvalid, "the certificate of mta-sts.example.org did not verify (name mismatch)");

        var (result, findings, exit) = await RunAsync(Destination(sink));

        Assert.Equal(CheckExitCodes.ProblemsFound, exit);
        Assert.Equal("sts-webpki-invalid", result.MtaSts.FetchProblemType);
        Assert.Equal(("old1", false), (result.MtaSts.Cached?.Id, result.MtaSts.Cached?.Expired));
        Assert.Equal("old1", result.MtaSts.InForce?.Id);
        Assert.Contains(findings, f => f.Code == "mta-sts-policy-unavailable");
        Assert.Contains(findings, f => f.Code == "mta-sts-cache-outdated");
    }

    [Fact]
    public async Task A_failed_mx_lookup_is_unavailable()
    {
        var (result, findings, exit) = await RunAsync(RelayDestination.Temporary("MX lookup for example.org failed"));

        Assert.Equal(CheckExitCodes.Unavailable, exit);
        Assert.Equal("temporary-failure", result.Mx.Status);
        Assert.Contains(findings, f => f.Code == "mx-lookup-failed");
    }

    [Fact]
    public async Task An_mx_without_starttls_is_a_problem()
    {
        await using var sink = new SmtpSink(new SinkOptions());

        var (result, findings, _) = await RunAsync(Destination(sink));

        Assert.Equal("STARTTLS not offered", Assert.Single(result.Mx.Hosts).Tls!.Error);
        Assert.Contains(findings, f => f.Code == "mx-tls-failed");
    }

    [Fact]
    public async Task The_text_and_json_reports_carry_the_facts()
    {
        await using var sink = Mx("mx.example.org");
        _tlsa.Next = new TlsaLookup(TlsaLookupStatus.Secure, [DaneEe(sink.Options.Certificate!)], "mx.example.org");
        var (result, findings, exit) = await RunAsync(Destination(sink));

        using var text = new StringWriter();
        DomainCheckTextReport.Write(text, result, findings);
        var json = JsonSerializer.Serialize(new DomainCheckDocument(result, findings, exit), CheckJsonContext.Default.DomainCheckDocument);

        Assert.Contains("MTA-STS record v=STSv1; id=20261201", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("  mx.example.org  127.0.0.1  DNSSEC secure", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("    MTA-STS    in policy (*.example.org)", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("    Postern    delivers with tls=dane", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("result: no problems found", text.ToString(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(0, root.GetProperty("exit_code").GetInt32());
        var host = root.GetProperty("result").GetProperty("mx").GetProperty("hosts")[0];
        Assert.True(host.GetProperty("dnssec_secure").GetBoolean());
        Assert.Equal("Secure", host.GetProperty("tlsa").GetProperty("status").GetString());
        Assert.Equal("enforce", root.GetProperty("result").GetProperty("mta_sts").GetProperty("in_force").GetProperty("mode").GetString());
    }

    private sealed class FixedMx(RelayDestination destination) : IMxResolver
    {
        public ValueTask<RelayDestination> ResolveMxAsync(string domain, int port, CancellationToken cancellationToken) => ValueTask.FromResult(destination);
    }

    private sealed class FakeTlsa : ITlsaResolver
    {
        public TlsaLookup Next { get; set; } = new(TlsaLookupStatus.NotFound, [], "");

        public ValueTask<TlsaLookup> LookupAsync(string hostName, int port, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Next with { BaseName = Next.BaseName.Length == 0 ? hostName : Next.BaseName });
    }

    private sealed class FakeTlsRpt : ITlsRptRecordResolver
    {
        public IReadOnlyList<string> Records { get; set; } = [];

        public Task<TlsRptTxtLookup> LookupAsync(string domain, CancellationToken cancellationToken) =>
            Task.FromResult(Records.Count == 0 ? TlsRptTxtLookup.NotFound : new TlsRptTxtLookup(TlsRptTxtStatus.Found, Records));
    }
}
