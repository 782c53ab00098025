namespace Postern.EndToEnd.Auth;

/// <summary>
/// msmtp (GNU SASL) over STARTTLS, trusting only Joe's CA: SCRAM-SHA-256 relays; SCRAM-SHA-1,
/// offered but not trusted, authenticates and is refused relaying; EXTERNAL with the certificate
/// bound to alice relays, and with a forgery carrying the same DNs (seed 004's pitfall) is neither
/// offered nor accepted and relays nothing.
/// </summary>
public sealed class MsmtpAuthTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Scram_sha_256_relays()
    {
        var token = AuthServer.Token();
        var (code, output) = await MsmtpAsync(token, "auth scram-sha-256", $"user {AuthServer.User}", $"password {AuthServer.Password}");
        Assert.True(code == 0, output);
        Assert.Matches(@"(?m)^--> AUTH SCRAM-SHA-256\r?$", output);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync("SCRAM-SHA-256");
    }

    [Fact]
    public async Task An_offered_but_untrusted_mechanism_authenticates_and_is_refused_relaying()
    {
        var token = AuthServer.Token();
        var (code, output) = await MsmtpAsync(token, "auth scram-sha-1", $"user {AuthServer.User}", $"password {AuthServer.Password}");
        Assert.True(code != 0, output);
        Assert.Contains("<-- 235 2.7.0", output, StringComparison.Ordinal);
        Assert.Contains($"<-- 550 5.7.1 <{AuthServer.Recipient}>: Relaying denied", output, StringComparison.Ordinal);
        await fixture.WaitForAuthLineAsync(AuthServer.UntrustedMechanism, trusted: false);
        fixture.AssertNotRelayed(token);
    }

    [Fact]
    public async Task External_with_the_bound_certificate_relays()
    {
        var token = AuthServer.Token();
        var (code, output) = await MsmtpAsync(token, "auth external", $"user {AuthServer.User}",
            $"tls_cert_file {fixture.Pki["client.pem"]}", $"tls_key_file {fixture.Pki["client.key"]}");
        Assert.True(code == 0, output);
        Assert.Contains("--> AUTH EXTERNAL", output, StringComparison.Ordinal);
        await fixture.AssertRelayedAsync(token, output);
        await fixture.WaitForAuthLineAsync("EXTERNAL");
    }

    [Fact]
    public async Task A_forged_certificate_with_the_same_dns_gets_no_external_and_no_relay()
    {
        var token = AuthServer.Token();
        var (code, output) = await MsmtpAsync(token, "auth external", $"user {AuthServer.User}",
            $"tls_cert_file {fixture.Pki["forged.pem"]}", $"tls_key_file {fixture.Pki["forged.key"]}");
        Assert.True(code != 0, output);
        Assert.Contains("does not support authentication method EXTERNAL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--> AUTH", output, StringComparison.Ordinal);

        // A client that insists anyway: AUTH EXTERNAL is refused and the recipient is not relayed.
        var (pyCode, py) = await ExternalCommand.RunAsync("python3", "-c", $$"""
            import smtplib, ssl
            context = ssl.create_default_context(cafile="{{fixture.Pki["ca.pem"]}}")
            context.load_cert_chain("{{fixture.Pki["forged.pem"]}}", "{{fixture.Pki["forged.key"]}}")
            s = smtplib.SMTP("localhost", {{fixture.Port()}}, local_hostname="forger.test", timeout=30)
            s.starttls(context=context)
            s.ehlo("forger.test")
            print("EHLO AUTH:", s.esmtp_features["auth"])
            print("AUTH:", s.docmd("AUTH", "EXTERNAL ="))
            print("AUTH authzid:", s.docmd("AUTH", "EXTERNAL YWxpY2U="))
            s.mail("{{AuthServer.User}}@example.org")
            print("RCPT:", s.rcpt("{{AuthServer.Recipient}}"))
            s.quit()
            """);
        Assert.True(pyCode == 0, py);
        Assert.DoesNotContain("EXTERNAL", py.Split('\n').Single(l => l.StartsWith("EHLO AUTH:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("AUTH: (504, b'5.5.4", py, StringComparison.Ordinal);
        Assert.Contains("AUTH authzid: (504, b'5.5.4", py, StringComparison.Ordinal);
        Assert.Contains("RCPT: (550, b'5.7.1", py, StringComparison.Ordinal);
        await fixture.Server.WaitForLogAsync(l => l.Contains("relay=forger.test [127.0.0.1]", StringComparison.Ordinal) && l.Contains("verify=FAIL", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Server.Log.Split('\n'), l => l.Contains("forger.test", StringComparison.Ordinal) && l.Contains("mech=EXTERNAL", StringComparison.Ordinal));
        fixture.AssertNotRelayed(token);
    }

    /// <summary>Sends <see cref="AuthServer.Message"/> with msmtp --debug (the SMTP dialog on stdout), bounded by msmtp's own timeout too.</summary>
    private async Task<(int Code, string Output)> MsmtpAsync(string token, params string[] account)
    {
        var config = Path.GetTempFileName();
        try
        {
            // msmtp refuses a configuration with a password that others may read.
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllLinesAsync(config, [
                "account default", "host localhost", $"port {fixture.Port()}", "domain laptop.test", "timeout 30",
                "tls on", "tls_starttls on", $"tls_trust_file {fixture.Pki["ca.pem"]}", $"from {AuthServer.User}@example.org", .. account]);
            return await ExternalCommand.RunWithInputAsync(AuthServer.Message(token), "msmtp", "-C", config, "--debug", AuthServer.Recipient);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
