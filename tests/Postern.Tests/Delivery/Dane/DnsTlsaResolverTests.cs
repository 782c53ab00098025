using Postern.Delivery.Dane;
using Postern.Delivery.Routing;
using Postern.Tests.Delivery.Routing;

namespace Postern.Tests.Delivery.Dane;

public sealed class DnsTlsaResolverTests : IDisposable
{
    private static readonly byte[] Digest = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly FakeDnsServer _dns = new();

    public void Dispose() => _dns.Dispose();

    private DnsTlsaResolver Resolver(int timeoutMilliseconds = 10_000) =>
        new(new ValidatingDnsClient(new DnsResolverOptions
        {
            Servers = [_dns.EndPoint],
            QueryTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
            Retries = 0,
            UseCache = false,
        }));

    [Fact]
    public async Task Validated_records_are_secure_with_their_parameters()
    {
        _dns.Signed("example.net").A("mx.example.net", "192.0.2.1")
            .Tlsa("_25._tcp.mx.example.net", 3, 1, 1, Digest).Tlsa("_25._tcp.mx.example.net", 2, 0, 2, [0xAA]);

        var lookup = await Resolver().LookupAsync("MX.example.net.", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Secure, lookup.Status);
        Assert.Equal("mx.example.net", lookup.BaseName);
        Assert.Equal(["2 0 2 AA", "3 1 1 " + Convert.ToHexString(Digest)], lookup.Records.Select(r => r.ToString()).Order());
        Assert.Contains(_dns.Queries, q => q is ("_25._tcp.mx.example.net", FakeDnsServer.TypeTlsa));
    }

    [Fact]
    public async Task The_port_is_part_of_the_name()
    {
        _dns.Signed("example.net").A("mx.example.net", "192.0.2.1").Tlsa("_587._tcp.mx.example.net", 3, 1, 1, Digest);

        var lookup = await Resolver().LookupAsync("mx.example.net", 587, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Secure, lookup.Status);
    }

    [Fact]
    public async Task A_validated_denial_is_not_found()
    {
        _dns.Signed("example.net").A("mx.example.net", "192.0.2.1");

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.NotFound, lookup.Status);
        Assert.Empty(lookup.Records);
    }

    [Fact]
    public async Task Records_without_validation_are_insecure_and_not_returned()
    {
        _dns.A("mx.example.net", "192.0.2.1").Tlsa("_25._tcp.mx.example.net", 3, 1, 1, Digest);

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Insecure, lookup.Status);
        Assert.Empty(lookup.Records);
        Assert.Equal("TLSA records of _25._tcp.mx.example.net are not DNSSEC-validated", lookup.Problem);
    }

    [Fact]
    public async Task Servfail_as_for_bogus_data_fails()
    {
        _dns.Signed("example.net").A("mx.example.net", "192.0.2.1").ServerFailure("_25._tcp.mx.example.net");

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Failed, lookup.Status);
        Assert.Equal("TLSA lookup for _25._tcp.mx.example.net failed", lookup.Problem);
    }

    [Fact]
    public async Task A_timeout_fails()
    {
        _dns.Signed("example.net").A("mx.example.net", "192.0.2.1").Silent("_25._tcp.mx.example.net");

        var lookup = await Resolver(timeoutMilliseconds: 200).LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Failed, lookup.Status);
    }

    [Fact]
    public async Task A_validated_alias_uses_the_records_of_its_target_first()
    {
        _dns.Signed("example.net").Signed("hosting.example")
            .Cname("mx.example.net", "box7.hosting.example").A("box7.hosting.example", "192.0.2.7")
            .Tlsa("_25._tcp.box7.hosting.example", 3, 1, 1, Digest)
            .Tlsa("_25._tcp.mx.example.net", 3, 1, 1, [0x01]);

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Secure, lookup.Status);
        Assert.Equal("box7.hosting.example", lookup.BaseName);
        Assert.Equal("3 1 1 " + Convert.ToHexString(Digest), Assert.Single(lookup.Records).ToString());
    }

    [Fact]
    public async Task An_alias_whose_target_has_no_records_falls_back_to_the_original_name()
    {
        _dns.Signed("example.net").Signed("hosting.example")
            .Cname("mx.example.net", "box7.hosting.example").A("box7.hosting.example", "192.0.2.7")
            .Tlsa("_25._tcp.mx.example.net", 3, 1, 1, Digest);

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.Equal(TlsaLookupStatus.Secure, lookup.Status);
        Assert.Equal("mx.example.net", lookup.BaseName);
    }

    [Fact]
    public async Task An_alias_through_an_unsigned_zone_is_not_expanded()
    {
        _dns.Signed("example.net")
            .Cname("mx.example.net", "box7.unsigned.test").A("box7.unsigned.test", "192.0.2.7")
            .Tlsa("_25._tcp.box7.unsigned.test", 3, 1, 1, Digest);

        var lookup = await Resolver().LookupAsync("mx.example.net", 25, CancellationToken.None);

        Assert.NotEqual(TlsaLookupStatus.Secure, lookup.Status);
        Assert.Equal("mx.example.net", lookup.BaseName);
        Assert.DoesNotContain(_dns.Queries, q => q.Name == "_25._tcp.box7.unsigned.test");
    }
}
