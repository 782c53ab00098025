using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

/// <summary>RelayHost.DnssecSecure: only when the resolver validated the MX answer and both address answers (RFC 7672 2.2).</summary>
public sealed class DnsMxResolverDnssecTests : IDisposable
{
    private readonly FakeDnsServer _dns = new();

    public void Dispose() => _dns.Dispose();

    private ValidatingDnsClient Client() =>
        new(new DnsResolverOptions { Servers = [_dns.EndPoint], QueryTimeout = TimeSpan.FromSeconds(10), Retries = 0, UseCache = false });

    [Fact]
    public async Task Hosts_are_secure_when_the_mx_and_address_answers_are_validated()
    {
        _dns.Signed("example.org").Signed("example.net")
            .Mx("example.org", 10, "mx.example.net").A("mx.example.net", "192.0.2.1");

        var destination = await new DnsMxResolver(Client()).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.True(Assert.Single(destination.Hosts).DnssecSecure);
    }

    [Fact]
    public async Task An_unsigned_mx_answer_makes_every_host_insecure()
    {
        _dns.Signed("example.net").Mx("example.org", 10, "mx.example.net").A("mx.example.net", "192.0.2.1");

        var destination = await new DnsMxResolver(Client()).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.False(Assert.Single(destination.Hosts).DnssecSecure);
    }

    [Fact]
    public async Task An_unsigned_host_address_makes_only_that_host_insecure()
    {
        _dns.Signed("example.org")
            .Mx("example.org", 10, "mx1.example.org").Mx("example.org", 20, "mx2.unsigned.test")
            .A("mx1.example.org", "192.0.2.1").A("mx2.unsigned.test", "192.0.2.2");

        var destination = await new DnsMxResolver(Client()).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal([("mx1.example.org", true), ("mx2.unsigned.test", false)], destination.Hosts.Select(h => (h.Name, h.DnssecSecure)));
    }

    [Fact]
    public async Task The_implicit_mx_is_secure_only_when_the_mx_denial_was_validated()
    {
        _dns.Signed("signed.example").A("signed.example", "192.0.2.1").A("plain.example", "192.0.2.2");

        var signed = await new DnsMxResolver(Client()).ResolveMxAsync("signed.example", 25, CancellationToken.None);
        var plain = await new DnsMxResolver(Client()).ResolveMxAsync("plain.example", 25, CancellationToken.None);

        Assert.True(Assert.Single(signed.Hosts).DnssecSecure);
        Assert.False(Assert.Single(plain.Hosts).DnssecSecure);
    }

    [Fact]
    public async Task A_distrusted_resolver_makes_nothing_secure()
    {
        _dns.Signed("example.org").Mx("example.org", 10, "mx.example.org").A("mx.example.org", "192.0.2.1");
        var client = Client();
        client.DistrustAuthenticatedData();

        var destination = await new DnsMxResolver(client).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.False(Assert.Single(destination.Hosts).DnssecSecure);
        Assert.False(client.TrustsAuthenticatedData);
    }

    [Fact]
    public async Task Mx_delivery_is_marked_and_a_configured_next_hop_is_not()
    {
        _dns.Mx("example.org", 10, "mx.example.org").A("mx.example.org", "192.0.2.1").A("smart.example.net", "192.0.2.9");
        var dns = new DnsMxResolver(Client());

        var direct = await new RelayRouter(new RouteTable([], null), dns, dns, OutboundTlsPolicy.Dane).ResolveAsync("example.org", CancellationToken.None);
        var smart = await new RelayRouter(new RouteTable([], NextHop.Parse("[smart.example.net]")), dns, dns, OutboundTlsPolicy.Dane).ResolveAsync("example.org", CancellationToken.None);

        Assert.True(direct.IsMxDelivery);
        Assert.Equal(OutboundTlsPolicy.Dane, direct.Tls);
        Assert.False(smart.IsMxDelivery);
    }

    [Fact]
    public async Task Dane_only_looks_a_bracketed_next_hop_up_in_dns_where_validation_shows()
    {
        _dns.Signed("example.net").A("smart.example.net", "192.0.2.9");
        var dns = new DnsMxResolver(Client());
        var system = new SystemHostResolver(new DnsResolverOptions(), TimeProvider.System);
        var route = new RelayRoute("example.org", NextHop.Parse("[smart.example.net]"), OutboundTlsPolicy.DaneOnly);

        var destination = await new RelayRouter(new RouteTable([route], null), dns, system, OutboundTlsPolicy.Dane).ResolveAsync("example.org", CancellationToken.None);

        Assert.True(Assert.Single(destination.Hosts).DnssecSecure);
        Assert.Equal(OutboundTlsPolicy.DaneOnly, destination.Tls);
    }
}
