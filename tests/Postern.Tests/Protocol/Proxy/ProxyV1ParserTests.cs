using System.Net;
using System.Text;
using Postern.Protocol.Proxy;

namespace Postern.Tests.Protocol.Proxy;

public sealed class ProxyV1ParserTests
{
    private static ProxyParseResult Parse(string text) => ProxyHeaderParser.Parse(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Tcp4_gives_both_end_points_and_stops_at_the_crlf()
    {
        const string Line = "PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r\n";
        var result = Parse(Line + "EHLO client\r\n");

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(Line.Length, result.Length);
        var header = result.Header!;
        Assert.Equal(1, header.Version);
        Assert.Equal(ProxyCommand.Proxy, header.Command);
        Assert.Equal(ProxyAddressFamily.Inet, header.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 25), header.Destination);
        Assert.True(header.CarriesAddresses);
        Assert.Same(ProxyTlvs.None, header.Tlvs);
    }

    [Fact]
    public void Tcp6_gives_ipv6_end_points()
    {
        var result = Parse("PROXY TCP6 2001:db8::7 2001:db8::1 65535 0\r\n");

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(ProxyAddressFamily.Inet6, result.Header!.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 65535), result.Header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 0), result.Header.Destination);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n")]
    public void Unknown_carries_no_addresses(string line)
    {
        var result = Parse(line);

        Assert.Equal(ProxyParseStatus.Complete, result.Status);
        Assert.Equal(line.Length, result.Length);
        Assert.Equal(ProxyAddressFamily.Unspecified, result.Header!.Family);
        Assert.False(result.Header.CarriesAddresses);
        Assert.Null(result.Header.Source);
    }

    [Fact]
    public void The_longest_line_of_107_bytes_is_accepted()
    {
        const string Line = "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        Assert.Equal(104, Line.Length);
        var padded = "PROXY UNKNOWN " + new string('x', 107 - 16) + "\r\n";
        Assert.Equal(107, padded.Length);

        Assert.Equal(ProxyParseStatus.Complete, Parse(Line).Status);
        Assert.Equal(ProxyParseStatus.Complete, Parse(padded).Status);
    }

    [Fact]
    public void A_line_without_crlf_in_107_bytes_is_refused()
    {
        var result = Parse("PROXY UNKNOWN " + new string('x', 200));

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.Contains("107", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P", 15)]
    [InlineData("PROXY ", 15)]
    [InlineData("PROXY TCP4 192.0.2.7", 21)]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\r", 44)]
    public void A_partial_line_asks_for_more_but_never_past_its_end(string partial, int wanted)
    {
        var result = Parse(partial);

        Assert.Equal(ProxyParseStatus.NeedMore, result.Status);
        Assert.Equal(wanted, result.Length);
    }

    [Theory]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25\n")]
    [InlineData("PROXY TCP5 192.0.2.7 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP6 192.0.2.7 2001:db8::1 40000 25\r\n")]
    [InlineData("PROXY TCP6 ::ffff:192.0.2.7%1 2001:db8::1 40000 25\r\n")]
    [InlineData("PROXY TCP6 [2001:db8::7] 2001:db8::1 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.07 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 092.0.2.7 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.09 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.256 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 040000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 65536 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 +4000 25\r\n")]
    [InlineData("PROXY TCP4  192.0.2.7 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 40000\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 40000 25 extra\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7\t198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 40000 2\u00e9\r\n")]
    [InlineData("proxy TCP4 192.0.2.7 198.51.100.1 40000 25\r\n")]
    [InlineData("PROXY\r\n")]
    [InlineData("EHLO client\r\n")]
    [InlineData("E")]
    public void Malformed_lines_are_refused_with_a_reason(string text)
    {
        var result = ProxyHeaderParser.Parse(Encoding.Latin1.GetBytes(text));

        Assert.Equal(ProxyParseStatus.Invalid, result.Status);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Null(result.Header);
    }

    [Fact]
    public void Garbage_is_shown_printable_in_the_reason()
    {
        var result = ProxyHeaderParser.Parse("\x16\x03\x01\x02\x00"u8);

        Assert.Equal("no PROXY header: the connection starts with \"\\x16\\x03\\x01\\x02\\x00\"", result.Error);
    }
}
