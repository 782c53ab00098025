using Postern.Delivery.MtaSts;

namespace Postern.Tests.Delivery.MtaSts;

public sealed class MtaStsPatternTests
{
    private static readonly MtaStsPolicy Policy = new(
        "1", MtaStsMode.Enforce, ["mail.example.com", "*.example.net"], TimeSpan.FromDays(1), [], DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("mail.example.com", "mail.example.com")]
    [InlineData("MAIL.Example.COM.", "mail.example.com")]
    [InlineData("mx1.example.net", "*.example.net")]
    [InlineData("MX1.EXAMPLE.NET", "*.example.net")]
    public void Matching_hosts_name_their_pattern(string host, string pattern) =>
        Assert.Equal(pattern, Policy.MatchingPattern(host));

    [Theory]
    [InlineData("example.net")]            // the wildcard needs a label of its own
    [InlineData("a.b.example.net")]        // ...and exactly one (RFC 8461 4.1)
    [InlineData("other.example.com")]
    [InlineData("mail.example.com.evil")]
    [InlineData("xexample.net")]
    public void Other_hosts_match_nothing(string host) => Assert.Null(Policy.MatchingPattern(host));
}
