using Postern.Config.Check;
using Postern.Delivery.Routing;
using Postern.Tests.Config.Lint;
using Postern.Tests.Delivery.Routing;

namespace Postern.Tests.Config.Check;

/// <summary>`config check` probes delivery.dns_servers (here a fake resolver on loopback) for DNSSEC validation.</summary>
public sealed class DnssecCheckTests : IDisposable
{
    private readonly FakeDnsServer _dns = new();
    private readonly ConfigCheckRun _run = new();

    public void Dispose()
    {
        _run.Dispose();
        _dns.Dispose();
    }

    private string Delivery(string extra = "") =>
        $"[delivery]\ndns_servers = [\"{_dns.EndPoint}\"]\ndnssec_probe_signed = \"signed.example\"\ndnssec_probe_broken = \"broken.signed.example\"\n{extra}";

    [Fact]
    public void A_validating_resolver_passes()
    {
        _dns.Signed("signed.example").Exists("signed.example").ServerFailure("broken.signed.example");

        var (exit, _, errors) = _run.Check(Delivery(), dnssecProbe: DnssecChecks.RunProbeAsync);

        Assert.Equal(0, exit);
        Assert.Equal("", errors);
        Assert.Contains(_dns.Queries, q => q.Name == "signed.example");
    }

    [Fact]
    public void A_resolver_without_the_ad_bit_is_flagged()
    {
        _dns.Exists("signed.example").ServerFailure("broken.signed.example");

        var (exit, _, errors) = _run.Check(Delivery(), dnssecProbe: DnssecChecks.RunProbeAsync);

        Assert.Equal(0, exit);
        Assert.Contains($"warning: dnssec: resolver {_dns.EndPoint} does not validate DNSSEC: its answer for the signed name \"signed.example\" (delivery.dnssec_probe_signed) lacks the AD bit, so DANE stays off", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolver_that_answers_the_broken_name_is_flagged()
    {
        _dns.Signed("signed.example").Exists("signed.example").A("broken.signed.example", "192.0.2.1");

        var (_, _, errors) = _run.Check(Delivery(), dnssecProbe: DnssecChecks.RunProbeAsync);

        Assert.Contains("answered the deliberately broken name \"broken.signed.example\" (delivery.dnssec_probe_broken) instead of failing it", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_dane_anywhere_the_resolver_is_not_probed()
    {
        var (_, _, errors) = _run.Check(Delivery("tls = \"verify\"\n"), dnssecProbe: DnssecChecks.RunProbeAsync);

        Assert.Equal("", errors);
        Assert.Empty(_dns.Queries);
    }

    [Fact]
    public void A_dane_route_is_enough_to_probe()
    {
        _dns.Exists("signed.example").ServerFailure("broken.signed.example");

        var (_, _, errors) = _run.Check(Delivery("tls = \"may\"\n\n[[route]]\ndomain = \"partner.example\"\nvia = \"mx\"\ntls = \"dane-only\"\n"), dnssecProbe: DnssecChecks.RunProbeAsync);

        Assert.Contains("warning: dnssec:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_tells_the_daemon_to_distrust_a_resolver_that_answers_broken_names()
    {
        _dns.Signed("signed.example").Exists("signed.example").A("broken.signed.example", "192.0.2.1");
        var client = new ValidatingDnsClient(new DnsResolverOptions { Servers = [_dns.EndPoint], UseCache = false, Retries = 0 });

        var result = await DnssecProbe.RunAsync(client, "signed.example", "broken.signed.example", CancellationToken.None);

        Assert.Equal((false, true), (result.Validates, result.Distrust));
    }
}
