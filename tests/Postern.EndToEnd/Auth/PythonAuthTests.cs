namespace Postern.EndToEnd.Auth;

/// <summary>python3 smtplib after starttls(): PLAIN, LOGIN (with and without an initial response) and CRAM-MD5 relay.</summary>
public sealed class PythonAuthTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    [Theory]
    [InlineData("PLAIN", "s.auth_plain", true)]
    [InlineData("LOGIN", "s.auth_login", false)]
    [InlineData("LOGIN", "s.auth_login", true)]
    [InlineData("CRAM-MD5", "s.auth_cram_md5", false)]
    public async Task Each_mechanism_authenticates_and_relays(string mechanism, string method, bool initialResponse)
    {
        var token = AuthServer.Token();
        var (code, output) = await RunAsync($"""
            s.user, s.password = "{AuthServer.User}", "{AuthServer.Password}"
            print(s.auth("{mechanism}", {method}, initial_response_ok={(initialResponse ? "True" : "False")}))
            """, token);
        Assert.True(code == 0, output);
        Assert.Contains("(235, b'2.7.0 Authentication successful')", output, StringComparison.Ordinal);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync(mechanism);
        fixture.AssertNoSecretInLog();
    }

    [Fact]
    public async Task Login_picks_a_mechanism_and_relays()
    {
        var token = AuthServer.Token();
        var (code, output) = await RunAsync($"""print(s.login("{AuthServer.User}", "{AuthServer.Password}"))""", token);
        Assert.True(code == 0, output);
        await fixture.AssertRelayedAsync(token, output);
    }

    private Task<(int Code, string Output)> RunAsync(string authenticate, string token) =>
        ExternalCommand.RunAsync("python3", "-c", $$"""
            import smtplib, ssl
            context = ssl.create_default_context(cafile="{{fixture.Pki["ca.pem"]}}")
            s = smtplib.SMTP("localhost", {{fixture.Port()}}, local_hostname="laptop.test", timeout=30)
            s.starttls(context=context)
            s.ehlo("laptop.test")
            {{authenticate}}
            s.sendmail("{{AuthServer.User}}@example.org", ["{{AuthServer.Recipient}}"], {{"\"" + AuthServer.Message(token).Replace("\r\n", "\\r\\n", StringComparison.Ordinal) + "\""}})
            s.quit()
            """);
}
