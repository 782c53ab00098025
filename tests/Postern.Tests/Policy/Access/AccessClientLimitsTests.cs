using System.Net;
using Postern.Policy.Access;

namespace Postern.Tests.Policy.Access;

/// <summary>ClientRate:, ClientConn: and GreetPause: as sendmail reads them: address, prefixes, then the empty key.</summary>
public sealed class AccessClientLimitsTests
{
    private const string File = """
        ClientRate:	10
        ClientRate:127.0.0.1	0
        ClientConn:192.0.2	2
        GreetPause:	5000
        GreetPause:IPv6:2001:db8	0
        """;

    [Fact]
    public void Each_limit_is_found_by_address_then_prefix_then_the_default()
    {
        var map = AccessMapParser.Parse(File, "/etc/mail/access");
        var limits = new AccessClientLimits(() => map);

        var stranger = limits.Lookup(IPAddress.Parse("198.51.100.7"));
        Assert.Equal(10, stranger.ConnectionsPerMinute?.Value);
        Assert.Equal("ClientRate: 10 at /etc/mail/access:1", stranger.ConnectionsPerMinute?.Origin);
        Assert.Null(stranger.Connections);
        Assert.Equal(5000, stranger.GreetPause?.Value);

        var local = limits.Lookup(IPAddress.Loopback);
        Assert.Equal(0, local.ConnectionsPerMinute?.Value);

        var neighbour = limits.Lookup(IPAddress.Parse("::ffff:192.0.2.9"));
        Assert.Equal(2, neighbour.Connections?.Value);
        Assert.Equal("ClientConn:192.0.2 2 at /etc/mail/access:3", neighbour.Connections?.Origin);

        Assert.Equal(0, limits.Lookup(IPAddress.Parse("2001:db8::25")).GreetPause?.Value);
    }

    [Fact]
    public void A_map_without_them_sets_no_limit()
    {
        var map = AccessMapParser.Parse("Connect:127.0.0.1\tRELAY\n", "access");
        var limits = new AccessClientLimits(() => map).Lookup(IPAddress.Loopback);
        Assert.Null(limits.ConnectionsPerMinute);
        Assert.Null(limits.Connections);
        Assert.Null(limits.GreetPause);
    }

    [Theory]
    [InlineData("ClientRate:10.1\tfast", "access:1: ClientRate: value must be a number of connections per minute from 0 (no limit) to 1000000, got 'fast'")]
    [InlineData("ClientConn:\t-1", "access:1: ClientConn: value must be a number of connections from 0 (no limit) to 1000000, got '-1'")]
    [InlineData("GreetPause:\t120000", "access:1: GreetPause: value must be a number of milliseconds from 0 (no pause) to 60000, got '120000'")]
    [InlineData("ClientRate:not..an.address\t3", "access:1: ClientRate: ")]
    public void A_limit_that_is_not_a_number_refuses_the_file(string line, string error)
    {
        var thrown = Assert.Throws<AccessMapException>(() => AccessMapParser.Parse(line + "\n", "access"));
        Assert.StartsWith(error, Assert.Single(thrown.Errors), StringComparison.Ordinal);
    }
}
