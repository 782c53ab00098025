namespace Postern.EndToEnd.Auth;

/// <summary>
/// swaks with Authen::SASL (Debian's libauthen-sasl-perl) over STARTTLS: each mechanism relays to
/// the next hop, a wrong password gets 535 5.7.8 and relays nothing. swaks names the server by the
/// address it connects to, so its DIGEST-MD5 digest-uri is <c>smtp/127.0.0.1</c>.
/// </summary>
public sealed class SwaksAuthTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("DIGEST-MD5")]
    public async Task Each_mechanism_authenticates_and_relays(string mechanism)
    {
        var token = AuthServer.Token();
        var (code, output) = await SwaksAsync("submission", "--tls", mechanism, AuthServer.Password, token);
        Assert.True(code == 0, output);
        Assert.Contains("235 2.7.0", output, StringComparison.Ordinal);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync(mechanism);
        fixture.AssertNoSecretInLog();
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("DIGEST-MD5")]
    public async Task A_wrong_password_gets_535_and_relays_nothing(string mechanism)
    {
        var token = AuthServer.Token();
        var (code, output) = await SwaksAsync("submission", "--tls", mechanism, "not-" + AuthServer.Password, token);
        Assert.True(code != 0, output);
        Assert.Contains("535 5.7.8", output, StringComparison.Ordinal);
        Assert.DoesNotContain("MAIL FROM", output, StringComparison.Ordinal);
        await fixture.Server.WaitForLogAsync(l => l.Contains($"AUTH failure ({mechanism}): BadCredentials", StringComparison.Ordinal)
            && l.Contains("user=alice", StringComparison.Ordinal));
        fixture.AssertNotRelayed(token);
    }

    [Fact]
    public async Task Implicit_tls_with_auth_required_relays_after_plain()
    {
        var token = AuthServer.Token();
        var (code, output) = await SwaksAsync("smtps", "--tlsc", "PLAIN", AuthServer.Password, token);
        Assert.True(code == 0, output);
        await fixture.AssertRelayedAsync(token, output);
    }

    private Task<(int Code, string Output)> SwaksAsync(string listener, string tls, string mechanism, string password, string token) =>
        ExternalCommand.RunAsync("swaks", tls, "--server", "127.0.0.1:" + fixture.Port(listener), "--ehlo", "laptop.test",
            "--auth", mechanism, "--auth-user", AuthServer.User, "--auth-password", password,
            "--from", AuthServer.User + "@example.org", "--to", AuthServer.Recipient, "--header", "X-Token: " + token,
            "--timeout", "30");
}
