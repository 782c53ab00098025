using Postern.Delivery.Relay;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class RouteTableTests
{
    private static readonly NextHop Inner = NextHop.Parse("[10.0.0.5]:25");
    private static readonly NextHop Sub = NextHop.Parse("[10.0.0.6]");
    private static readonly NextHop Smart = NextHop.Parse("[smart.example.net]:587");

    private static RouteTable Table(NextHop? smartHost) => new(
        [
            new RelayRoute("example.org", Inner, OutboundTlsPolicy.Verify),
            new RelayRoute(".example.org", Sub),
            new RelayRoute(".deep.example.org", null),
            new RelayRoute("direct.test", null),
        ],
        smartHost);

    [Theory]
    [InlineData("example.org", "[10.0.0.5]:25", "route example.org")]
    [InlineData("EXAMPLE.org.", "[10.0.0.5]:25", "route example.org")]
    [InlineData("a.example.org", "[10.0.0.6]:25", "route .example.org")]
    [InlineData("a.b.example.org", "[10.0.0.6]:25", "route .example.org")]
    [InlineData("x.deep.example.org", null, "route .deep.example.org")]
    [InlineData("direct.test", null, "route direct.test")]
    [InlineData("sub.direct.test", "[smart.example.net]:587", "smarthost")]
    [InlineData("notexample.org", "[smart.example.net]:587", "smarthost")]
    public void Exact_then_parent_routes_then_the_smart_host(string domain, string? via, string source)
    {
        var match = Table(Smart).Lookup(domain);

        Assert.Equal((via, source), (match.Via?.ToString(), match.Source));
    }

    [Fact]
    public void A_route_carries_its_tls_policy()
    {
        Assert.Equal(OutboundTlsPolicy.Verify, Table(null).Lookup("example.org").Tls);
        Assert.Null(Table(null).Lookup("a.example.org").Tls);
    }

    [Fact]
    public void Without_a_smart_host_other_domains_use_mx()
    {
        var match = Table(null).Lookup("elsewhere.test");

        Assert.Equal((null, "mx"), (match.Via, match.Source));
    }

    [Fact]
    public void Duplicate_domains_are_refused() =>
        Assert.Throws<ArgumentException>(() => new RouteTable([new RelayRoute("a.test", null), new RelayRoute("A.test", null)], null));
}
