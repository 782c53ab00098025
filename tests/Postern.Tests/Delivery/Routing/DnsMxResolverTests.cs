using System.Net;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class DnsMxResolverTests : IDisposable
{
    private readonly FakeDnsServer _dns = new();

    public void Dispose() => _dns.Dispose();

    // The fake server answers at once; the generous timeout only matters when the test machine is
    // busy. Tests of a silent server pass a short one so they do not wait for it.
    private DnsMxResolver Resolver(Random? random = null, bool preferIPv6 = false, int timeoutMilliseconds = 10_000) =>
        new(new DnsResolverOptions
        {
            Servers = [_dns.EndPoint],
            QueryTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
            Retries = 0,
            UseCache = false,
            PreferIPv6 = preferIPv6,
        }, random);

    [Fact]
    public async Task Mx_hosts_come_in_preference_order_with_their_addresses_ipv4_first()
    {
        _dns.Mx("example.org", 20, "backup.example.org").Mx("example.org", 10, "mx1.example.org")
            .A("mx1.example.org", "192.0.2.1").Aaaa("mx1.example.org", "2001:db8::1").A("mx1.example.org", "192.0.2.2")
            .Aaaa("backup.example.org", "2001:db8::2");

        var destination = await Resolver().ResolveMxAsync("Example.ORG", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.Ok, destination.Status);
        Assert.Equal(["mx1.example.org", "backup.example.org"], destination.Hosts.Select(h => h.Name));
        var first = destination.Hosts[0];
        Assert.Equal(25, first.Port);
        Assert.Equal(3, first.Addresses.Count);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), first.Addresses[2]);
        Assert.All(first.Addresses.Take(2), a => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, a.AddressFamily));
        Assert.Equal([IPAddress.Parse("2001:db8::2")], destination.Hosts[1].Addresses);
    }

    [Fact]
    public async Task Ipv6_first_when_configured()
    {
        _dns.Mx("example.org", 10, "mx.example.org").A("mx.example.org", "192.0.2.1").Aaaa("mx.example.org", "2001:db8::1");

        var destination = await Resolver(preferIPv6: true).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1")], Assert.Single(destination.Hosts).Addresses);
    }

    [Fact]
    public async Task Equal_preferences_are_shuffled_and_both_orders_are_reachable()
    {
        _dns.Mx("example.org", 10, "a.example.org").Mx("example.org", 10, "b.example.org").Mx("example.org", 5, "first.example.org")
            .A("a.example.org", "192.0.2.1").A("b.example.org", "192.0.2.2").A("first.example.org", "192.0.2.3");

        var orders = new HashSet<string>();
        for (var seed = 0; seed < 16; seed++)
        {
            var destination = await Resolver(new Random(seed)).ResolveMxAsync("example.org", 25, CancellationToken.None);
            Assert.Equal("first.example.org", destination.Hosts[0].Name);
            orders.Add(string.Join(",", destination.Hosts.Skip(1).Select(h => h.Name)));
        }

        Assert.Equal(new HashSet<string> { "a.example.org,b.example.org", "b.example.org,a.example.org" }, orders);
    }

    [Fact]
    public async Task A_seeded_random_gives_the_same_order_every_time()
    {
        _dns.Mx("example.org", 10, "a.example.org").Mx("example.org", 10, "b.example.org").Mx("example.org", 10, "c.example.org")
            .A("a.example.org", "192.0.2.1").A("b.example.org", "192.0.2.2").A("c.example.org", "192.0.2.3");

        var first = await Resolver(new Random(42)).ResolveMxAsync("example.org", 25, CancellationToken.None);
        var second = await Resolver(new Random(42)).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal(first.Hosts.Select(h => h.Name), second.Hosts.Select(h => h.Name));
    }

    [Fact]
    public async Task Without_mx_records_the_domain_itself_is_the_implicit_mx()
    {
        _dns.A("example.org", "192.0.2.9").Aaaa("example.org", "2001:db8::9");

        var destination = await Resolver().ResolveMxAsync("example.org", 25, CancellationToken.None);

        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("example.org", 25), (host.Name, host.Port));
        Assert.Equal([IPAddress.Parse("192.0.2.9"), IPAddress.Parse("2001:db8::9")], host.Addresses);
    }

    [Fact]
    public async Task Without_mx_or_address_records_the_domain_fails_permanently()
    {
        _dns.Exists("example.org");

        var destination = await Resolver().ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, destination.Status);
        Assert.Contains("no MX and no address", destination.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_mx_fails_permanently()
    {
        _dns.Mx("example.org", 0, ".").A("example.org", "192.0.2.9");

        var destination = await Resolver().ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, destination.Status);
        Assert.True(destination.IsNullMx);
        Assert.Equal("example.org publishes a null MX", destination.Problem);
        Assert.Empty(destination.Hosts);
    }

    [Fact]
    public async Task Nxdomain_fails_permanently()
    {
        var destination = await Resolver().ResolveMxAsync("nowhere.example", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, destination.Status);
        Assert.Contains("NXDOMAIN", destination.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Servfail_fails_temporarily()
    {
        _dns.ServerFailure("example.org");

        var destination = await Resolver().ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.TemporaryFailure, destination.Status);
    }

    [Fact]
    public async Task No_answer_at_all_fails_temporarily()
    {
        _dns.Silent("example.org");

        var destination = await Resolver(timeoutMilliseconds: 300).ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.TemporaryFailure, destination.Status);
    }

    [Fact]
    public async Task Mx_hosts_without_addresses_are_skipped()
    {
        _dns.Mx("example.org", 10, "gone.example.org").Mx("example.org", 20, "empty.example.org").Mx("example.org", 30, "mx.example.org")
            .Exists("empty.example.org").A("mx.example.org", "192.0.2.1");

        var destination = await Resolver().ResolveMxAsync("example.org", 25, CancellationToken.None);

        Assert.Equal("mx.example.org", Assert.Single(destination.Hosts).Name);
    }

    [Fact]
    public async Task Mx_hosts_that_all_lack_addresses_fail_permanently_but_a_failed_lookup_defers()
    {
        _dns.Mx("example.org", 10, "gone.example.org")
            .Mx("example.net", 10, "gone.example.org").Mx("example.net", 20, "broken.example.net").ServerFailure("broken.example.net");

        var resolver = Resolver();
        var none = await resolver.ResolveMxAsync("example.org", 25, CancellationToken.None);
        var broken = await resolver.ResolveMxAsync("example.net", 25, CancellationToken.None);

        Assert.Equal(RelayDestinationStatus.PermanentFailure, none.Status);
        Assert.Equal(RelayDestinationStatus.TemporaryFailure, broken.Status);
    }

    [Fact]
    public async Task Host_resolution_asks_only_for_addresses()
    {
        _dns.Mx("relay.example.org", 10, "other.example.org").A("relay.example.org", "192.0.2.7");

        var destination = await Resolver().ResolveHostAsync("relay.example.org", 587, CancellationToken.None);

        var host = Assert.Single(destination.Hosts);
        Assert.Equal(("relay.example.org", 587), (host.Name, host.Port));
        Assert.Equal([IPAddress.Parse("192.0.2.7")], host.Addresses);
        Assert.DoesNotContain(_dns.Queries, q => q.Type == FakeDnsServer.TypeMx);
    }
}
