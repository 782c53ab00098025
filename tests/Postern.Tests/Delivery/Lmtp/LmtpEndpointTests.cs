using Postern.Delivery.Lmtp;

namespace Postern.Tests.Delivery.Lmtp;

public sealed class LmtpEndpointTests
{
    [Theory]
    [InlineData("lmtp:unix:/run/dovecot/lmtp", "lmtp:unix:/run/dovecot/lmtp")]
    [InlineData("lmtp:[127.0.0.1]:24", "lmtp:[127.0.0.1]:24")]
    [InlineData("lmtp:[::1]:2424", "lmtp:[::1]:2424")]
    [InlineData("lmtp:[mail.example.com]:24", "lmtp:[mail.example.com]:24")]
    [InlineData("lmtp:Mail.Example.com:10024", "lmtp:[mail.example.com]:10024")]
    [InlineData("lmtp:inet:127.0.0.1:24", "lmtp:[127.0.0.1]:24")]
    [InlineData("lmtp:[127.0.0.1]", "lmtp:[127.0.0.1]:24")]
    [InlineData("LMTP:localhost", "lmtp:[localhost]:24")]
    public void Valid_forms_parse_to_one_canonical_form(string text, string expected)
    {
        Assert.True(LmtpEndpoint.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(expected, endpoint.ToString());
    }

    [Fact]
    public void A_unix_socket_has_its_path_and_no_host()
    {
        var endpoint = LmtpEndpoint.Parse("lmtp:unix:/run/dovecot/lmtp");

        Assert.True(endpoint.IsUnixSocket);
        Assert.Equal("/run/dovecot/lmtp", endpoint.SocketPath);
        Assert.Null(endpoint.Host);
        Assert.Equal("unix:/run/dovecot/lmtp", endpoint.Relay);
    }

    [Theory]
    [InlineData("smtp:[127.0.0.1]:25", "must be an LMTP destination")]
    [InlineData("/run/dovecot/lmtp", "must be an LMTP destination")]
    [InlineData("lmtp:unix:private/dovecot-lmtp", "absolute path")]
    [InlineData("lmtp:[127.0.0.1:24", "without its ']'")]
    [InlineData("lmtp:[127.0.0.1]24", "\":port\" after")]
    [InlineData("lmtp:::1:24", "IPv6 address in brackets")]
    [InlineData("lmtp:[127.0.0.1]:0", "port from 1 to 65535")]
    [InlineData("lmtp:[127.0.0.1]:65536", "port from 1 to 65535")]
    [InlineData("lmtp:host:port", "port from 1 to 65535")]
    [InlineData("lmtp:", "must name a host")]
    [InlineData("lmtp:bad_host!:24", "must name a host")]
    public void Invalid_forms_say_what_is_wrong(string text, string expected)
    {
        Assert.False(LmtpEndpoint.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_path_longer_than_sun_path_is_refused()
    {
        Assert.False(LmtpEndpoint.TryParse("lmtp:unix:/" + new string('a', 120), out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }
}
