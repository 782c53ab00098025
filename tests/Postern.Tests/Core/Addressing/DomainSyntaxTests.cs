using Postern.Core.Addressing;

namespace Postern.Tests.Core.Addressing;

public sealed class DomainSyntaxTests
{
    [Theory]
    [InlineData("example.org")]
    [InlineData("localhost")]
    [InlineData("a-b.c")]
    [InlineData("bücher.example")]
    [InlineData("例子.广告")]
    public void Valid_host_names(string name) => Assert.True(DomainSyntax.IsValidHostName(name, out var reason), reason);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("-a.b")]
    [InlineData("a_b.c")]
    [InlineData("a b")]
    [InlineData("a\u3000b")]
    public void Invalid_host_names(string name)
    {
        Assert.False(DomainSyntax.IsValidHostName(name, out var reason));
        Assert.NotNull(reason);
    }

    [Fact]
    public void Host_name_total_limit_is_255_octets()
    {
        var label = new string('a', 63);
        var name255 = $"{label}.{label}.{label}.{new string('a', 63)}"; // 4*63+3 = 255
        Assert.Equal(255, name255.Length);
        Assert.True(DomainSyntax.IsValidHostName(name255, out _));
        Assert.False(DomainSyntax.IsValidHostName(name255 + ".a", out var reason));
        Assert.Equal("domain too long", reason);
    }

    [Fact]
    public void Address_literal_normalizes_the_ipv6_tag()
    {
        Assert.True(DomainSyntax.TryParseAddressLiteral("[ipv6:::1]", out var normalized, out _));
        Assert.Equal("[IPv6:::1]", normalized);
        Assert.False(DomainSyntax.TryParseAddressLiteral("192.0.2.1", out _, out _));
    }
}
