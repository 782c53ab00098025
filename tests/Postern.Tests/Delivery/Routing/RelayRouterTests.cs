using System.Net;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class RelayRouterTests : IDisposable
{
    private readonly FakeDnsServer _dns = new();

    public void Dispose() => _dns.Dispose();

    // Bracketed hops ask the same fake DNS here (the daemon asks the system's host lookup, tested below).
    private RelayRouter Router(IEnumerable<RelayRoute> routes, string? smartHost, OutboundTlsPolicy tls = OutboundTlsPolicy.May, IHostResolver? hosts = null)
    {
        var dns = new DnsMxResolver(new DnsResolverOptions { Servers = [_dns.EndPoint], QueryTimeout = TimeSpan.FromSeconds(10), Retries = 0, UseCache = false });
        return new(new RouteTable(routes, smartHost is null ? null : NextHop.Parse(smartHost)), dns, hosts ?? dns, tls);
    }

    [Fact]
    public async Task A_bracketed_smart_host_in_the_hosts_file_resolves_through_the_system_host_lookup()
    {
        var hosts = new SystemHostResolver(new DnsResolverOptions(), TimeProvider.System);

        var destination = await Router([], "[localhost]:2526", hosts: hosts).ResolveAsync("gmail.test", CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.Ok, destination.Status);
        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("localhost", 2526), (host.Name, host.Port));
        Assert.Contains(IPAddress.Loopback, host.Addresses);
        Assert.Empty(_dns.Queries);
    }

    [Fact]
    public async Task Bracketed_smart_host_resolves_its_addresses_without_mx()
    {
        _dns.Mx("smart.example.net", 10, "elsewhere.example.net").A("smart.example.net", "192.0.2.25").A("elsewhere.example.net", "192.0.2.99");

        var destination = await Router([], "[smart.example.net]:587", OutboundTlsPolicy.Encrypt).ResolveAsync("gmail.test", CancellationToken.None);

        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("smart.example.net", 587), (host.Name, host.Port));
        Assert.Equal([IPAddress.Parse("192.0.2.25")], host.Addresses);
        Assert.Equal(OutboundTlsPolicy.Encrypt, destination.Tls);
        Assert.DoesNotContain(_dns.Queries, q => q.Type == FakeDnsServer.TypeMx);
    }

    [Fact]
    public async Task Unbracketed_smart_host_uses_its_mx_records()
    {
        _dns.Mx("smart.example.net", 10, "mx.example.net").A("mx.example.net", "192.0.2.26");

        var destination = await Router([], "smart.example.net:2525").ResolveAsync("gmail.test", CancellationToken.None);

        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("mx.example.net", 2525), (host.Name, host.Port));
    }

    [Fact]
    public async Task An_ip_literal_next_hop_needs_no_dns()
    {
        var destination = await Router([new RelayRoute("example.org", NextHop.Parse("[10.0.0.5]:25"))], null).ResolveAsync("example.org", CancellationToken.None);

        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("10.0.0.5", 25), (host.Name, host.Port));
        Assert.Equal([IPAddress.Parse("10.0.0.5")], host.Addresses);
        Assert.Empty(_dns.Queries);
    }

    [Fact]
    public async Task Routes_for_a_domain_and_for_its_subdomains()
    {
        var router = Router(
            [new RelayRoute("example.org", NextHop.Parse("[10.0.0.5]")), new RelayRoute(".example.org", NextHop.Parse("[10.0.0.6]:26"))],
            "[192.0.2.100]");

        var exact = await router.ResolveAsync("example.org", CancellationToken.None);
        var sub = await router.ResolveAsync("lists.example.org", CancellationToken.None);
        var other = await router.ResolveAsync("example.com", CancellationToken.None);

        Assert.Equal("10.0.0.5:25", Endpoint(exact));
        Assert.Equal("10.0.0.6:26", Endpoint(sub));
        Assert.Equal("192.0.2.100:25", Endpoint(other));
    }

    [Fact]
    public async Task A_route_via_mx_bypasses_the_smart_host()
    {
        _dns.Mx("partner.test", 10, "mx.partner.test").A("mx.partner.test", "192.0.2.50");

        var destination = await Router([new RelayRoute("partner.test", null)], "[192.0.2.100]").ResolveAsync("partner.test", CancellationToken.None);

        Assert.Equal("mx.partner.test", Assert.Single(destination.Hosts).Name);
    }

    [Fact]
    public async Task Route_tls_policy_overrides_the_global_one()
    {
        var router = Router(
            [new RelayRoute("secure.test", NextHop.Parse("[10.0.0.5]"), OutboundTlsPolicy.Verify), new RelayRoute("plain.test", NextHop.Parse("[10.0.0.6]"))],
            null,
            OutboundTlsPolicy.Encrypt);

        Assert.Equal(OutboundTlsPolicy.Verify, (await router.ResolveAsync("secure.test", CancellationToken.None)).Tls);
        Assert.Equal(OutboundTlsPolicy.Encrypt, (await router.ResolveAsync("plain.test", CancellationToken.None)).Tls);
    }

    [Fact]
    public async Task Mx_delivery_without_smart_host_and_null_mx_bounces()
    {
        _dns.Mx("nomail.test", 0, ".");

        var destination = await Router([], null).ResolveAsync("nomail.test", CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, destination.Status);
    }

    [Fact]
    public async Task An_unresolvable_configured_next_hop_defers_instead_of_bouncing()
    {
        var destination = await Router([], "[missing.example.net]").ResolveAsync("gmail.test", CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.TemporaryFailure, destination.Status);
        Assert.Contains("smarthost [missing.example.net]:25", destination.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_literals_are_not_routed()
    {
        var destination = await Router([], "[192.0.2.100]").ResolveAsync("[192.0.2.1]", CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, destination.Status);
    }

    private static string Endpoint(RelayDestination destination)
    {
        var host = Assert.Single(destination.Hosts);
        return new IPEndPoint(Assert.Single(host.Addresses), host.Port).ToString();
    }
}
