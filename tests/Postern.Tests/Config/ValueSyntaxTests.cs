using System.Net;
using Postern.Config;

namespace Postern.Tests.Config;

public sealed class ValueSyntaxTests
{
    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("1K", 1024L)]
    [InlineData("25M", 25L * 1024 * 1024)]
    [InlineData("25m", 25L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    public void Sizes_parse_with_binary_suffixes(string text, long expected)
    {
        Assert.True(ByteSizeSyntax.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("1 K")]
    [InlineData("+1K")]
    [InlineData("1KB")]
    [InlineData("1T")]
    [InlineData("9999999999999G")]
    public void Bad_sizes_are_refused(string text) => Assert.False(ByteSizeSyntax.TryParse(text, out _));

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("0s", 0)]
    public void Durations_parse(string text, int seconds)
    {
        Assert.True(DurationSyntax.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5")]
    [InlineData("5H")]
    [InlineData("1w")]
    [InlineData("1.5h")]
    [InlineData("1234567890s")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationSyntax.TryParse(text, out _));

    [Theory]
    [InlineData("127.0.0.1:2525", "127.0.0.1:2525")]
    [InlineData("*:25", "0.0.0.0:25")]
    [InlineData("[::]:25", "[::]:25")]
    [InlineData("[::1]:587", "[::1]:587")]
    [InlineData("[2001:db8::1]:65535", "[2001:db8::1]:65535")]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    public void Listen_addresses_parse(string text, string expected)
    {
        Assert.True(ListenAddressSyntax.TryParse(text, out var endPoint));
        Assert.Equal(IPEndPoint.Parse(expected), endPoint);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("mail.example.org")]
    [InlineData("a-b.c0")]
    public void Host_names_are_accepted(string name) => Assert.True(HostNameSyntax.IsValid(name));

    [Theory]
    [InlineData("")]
    [InlineData("-a.example")]
    [InlineData("a..example")]
    [InlineData("a_b.example")]
    [InlineData("example.")]
    public void Bad_host_names_are_refused(string name) => Assert.False(HostNameSyntax.IsValid(name));

    [Theory]
    [InlineData("user", true)]
    [InlineData("bob.smith", true)]
    [InlineData("_svc-1", true)]
    [InlineData("..", false)]
    [InlineData("a..b", false)]
    [InlineData("a.", false)]
    [InlineData("-a", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    public void User_names(string name, bool valid) => Assert.Equal(valid, UserNameSyntax.IsValid(name));

    [Fact]
    public void Error_text_without_a_line_omits_the_position()
    {
        Assert.Equal("f.toml: x", new ConfigError("f.toml", 0, 0, "", "x").ToString());
        Assert.Equal("f.toml:3:4: a.b: m", new ConfigError("f.toml", 3, 4, "a.b", "m").ToString());
    }
}
