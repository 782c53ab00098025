namespace Postern.EndToEnd.Auth;

/// <summary>
/// curl smtp:// with --ssl-reqd (STARTTLS) and --login-options AUTH=...: the mechanisms this curl
/// has (Debian's curl is built without libgsasl, so no SCRAM) relay; EXTERNAL with Joe User's
/// bound certificate too.
/// </summary>
public sealed class CurlAuthTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("DIGEST-MD5")]
    public async Task Each_mechanism_authenticates_and_relays(string mechanism)
    {
        var token = AuthServer.Token();
        var (code, output) = await CurlAsync(token, "--login-options", "AUTH=" + mechanism, "--user", $"{AuthServer.User}:{AuthServer.Password}");
        Assert.True(code == 0, output);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync(mechanism);
        fixture.AssertNoSecretInLog();
    }

    [Fact]
    public async Task External_with_the_bound_client_certificate_relays()
    {
        var token = AuthServer.Token();
        var (code, output) = await CurlAsync(token, "--login-options", "AUTH=EXTERNAL", "--user", AuthServer.User + ":",
            "--cert", fixture.Pki["client.pem"], "--key", fixture.Pki["client.key"]);
        Assert.True(code == 0, output);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync("EXTERNAL");
    }

    [Fact]
    public async Task A_wrong_password_is_login_denied_and_relays_nothing()
    {
        var token = AuthServer.Token();
        var (code, output) = await CurlAsync(token, "--login-options", "AUTH=PLAIN", "--user", $"{AuthServer.User}:wrong");
        Assert.True(code == 67, output); // CURLE_LOGIN_DENIED
        Assert.Contains("535 5.7.8", output, StringComparison.Ordinal);
        fixture.AssertNotRelayed(token);
    }

    private async Task<(int Code, string Output)> CurlAsync(string token, params string[] auth)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, AuthServer.Message(token));
            return await ExternalCommand.RunAsync("curl", [
                "-sS", "-v", "--max-time", "30", "--ssl-reqd", "--cacert", fixture.Pki["ca.pem"], .. auth,
                "--mail-from", AuthServer.User + "@example.org", "--mail-rcpt", AuthServer.Recipient, "--upload-file", file,
                $"smtp://localhost:{fixture.Port()}/laptop.test"]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
