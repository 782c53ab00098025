using System.Net;
using Postern.Delivery.Routing;

namespace Postern.Tests.Delivery.Routing;

public sealed class NextHopTests
{
    [Theory]
    [InlineData("[mail.example.org]:587", "mail.example.org", null, 587, true)]
    [InlineData("[Mail.Example.org.]", "mail.example.org", null, 25, true)]
    [InlineData("relay.example.org:2525", "relay.example.org", null, 2525, false)]
    [InlineData("relay.example.org", "relay.example.org", null, 25, false)]
    [InlineData("[192.0.2.1]:25", "192.0.2.1", "192.0.2.1", 25, true)]
    [InlineData("192.0.2.1:26", "192.0.2.1", "192.0.2.1", 26, true)]
    [InlineData("[IPv6:2001:db8::1]", "2001:db8::1", "2001:db8::1", 25, true)]
    [InlineData("[2001:db8::1]:587", "2001:db8::1", "2001:db8::1", 587, true)]
    public void Parses_sendmail_notation(string text, string host, string? address, int port, bool skipMx)
    {
        var hop = NextHop.Parse(text);

        Assert.Equal((host, address is null ? null : IPAddress.Parse(address), port, skipMx), (hop.Host, hop.Address, hop.Port, hop.SkipMx));
    }

    [Theory]
    [InlineData("[mail.example.org]:587", "[mail.example.org]:587")]
    [InlineData("relay.example.org", "relay.example.org:25")]
    [InlineData("[IPv6:2001:DB8::1]", "[IPv6:2001:db8::1]:25")]
    [InlineData("[192.0.2.1]", "[192.0.2.1]:25")]
    public void Formats_canonically(string text, string expected) => Assert.Equal(expected, NextHop.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("mail example.org", "spaces")]
    [InlineData("[mail.example.org", "without its ']'")]
    [InlineData("[mail.example.org]587", "not ':port'")]
    [InlineData("mail.example.org:0", "bad port")]
    [InlineData("mail.example.org:65536", "bad port")]
    [InlineData("mail.example.org:", "bad port")]
    [InlineData("[mail.example.org]:smtp", "bad port")]
    [InlineData("2001:db8::1", "put it in brackets")]
    [InlineData("[IPv6:192.0.2.1]", "bad IPv6 address")]
    [InlineData("[2001:db8::zz]", "bad IPv6 address")]
    [InlineData("-bad-.example.org", "bad host name")]
    [InlineData("10.1", "bad host name")]
    [InlineData("256.1.1.1", "bad host name")]
    [InlineData("a..b", "bad host name")]
    public void Refuses_bad_syntax(string text, string problem)
    {
        Assert.False(NextHop.TryParse(text, out var hop, out var error));
        Assert.Null(hop);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NextHop.Parse(text));
    }
}
