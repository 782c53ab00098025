namespace Postern.EndToEnd.Auth;

/// <summary>
/// AUTH policy against the real binary, driven by python3 smtplib's raw commands: PLAIN and LOGIN
/// only inside TLS (538 5.7.11 before), <c>auth = "require"</c> refuses MAIL until AUTH (530 5.7.0),
/// and the mail log names the user and mechanism but never the password or a response line.
/// </summary>
public sealed class AuthPolicyTests(AuthServer fixture) : IClassFixture<AuthServer>
{
    private static readonly string PlainResponse = AuthServer.Base64($"\0{AuthServer.User}\0{AuthServer.Password}");

    [Fact]
    public async Task Plaintext_mechanisms_before_starttls_are_not_offered_and_get_538()
    {
        var (code, output) = await PythonAsync("submission", $$"""
            s.ehlo("laptop.test")
            print("EHLO AUTH:", s.esmtp_features["auth"])
            print("PLAIN:", s.docmd("AUTH", "PLAIN {{PlainResponse}}"))
            print("LOGIN:", s.docmd("AUTH", "LOGIN"))
            s.starttls(context=context)
            s.ehlo("laptop.test")
            print("TLS AUTH:", s.esmtp_features["auth"])
            """);
        Assert.True(code == 0, output);
        var clear = Line(output, "EHLO AUTH:").Split(' ');
        Assert.Contains("SCRAM-SHA-256", clear);
        Assert.DoesNotContain("PLAIN", clear);
        Assert.DoesNotContain("LOGIN", clear);
        Assert.DoesNotContain("SCRAM-SHA-256-PLUS", clear);
        Assert.Equal("PLAIN: (538, b'5.7.11 Encryption required for requested authentication mechanism')", Line(output, "PLAIN:"));
        Assert.StartsWith("LOGIN: (538, b'5.7.11", Line(output, "LOGIN:"), StringComparison.Ordinal);
        Assert.Contains("PLAIN", Line(output, "TLS AUTH:").Split(' '));
        Assert.Contains("SCRAM-SHA-256-PLUS", Line(output, "TLS AUTH:").Split(' '));
        fixture.AssertNoSecretInLog();
    }

    [Fact]
    public async Task A_listener_that_requires_auth_refuses_mail_with_530_until_auth_and_then_relays()
    {
        var token = AuthServer.Token();
        var (code, output) = await PythonAsync("required", $$"""
            s.starttls(context=context)
            s.ehlo("laptop.test")
            print("MAIL before:", s.docmd("MAIL", "FROM:<{{AuthServer.User}}@example.org>"))
            print("AUTH:", s.docmd("AUTH", "PLAIN {{PlainResponse}}"))
            s.sendmail("{{AuthServer.User}}@example.org", ["{{AuthServer.Recipient}}"], "{{AuthServer.Message(token).Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}}")
            """);
        Assert.True(code == 0, output);
        Assert.Equal("MAIL before: (530, b'5.7.0 Authentication required')", Line(output, "MAIL before:"));
        Assert.Equal("AUTH: (235, b'2.7.0 Authentication successful')", Line(output, "AUTH:"));
        await fixture.AssertRelayedAsync(token, output);
        var line = await fixture.WaitForAuthLineAsync("PLAIN");
        Assert.Contains("AUTH=server, relay=laptop.test [127.0.0.1], authid=alice, mech=PLAIN, bits=0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mail_log_shows_who_authenticated_how_and_no_secret()
    {
        var wrong = "not-" + AuthServer.Password;
        var (code, output) = await PythonAsync("submission", $$"""
            s.starttls(context=context)
            s.ehlo("laptop.test")
            s.user, s.password = "{{AuthServer.User}}", "{{wrong}}"
            try:
                s.auth("LOGIN", s.auth_login, initial_response_ok=False)
            except smtplib.SMTPAuthenticationError as e:
                print("LOGIN:", e.smtp_code, e.smtp_error)
            s.user, s.password = "{{AuthServer.User}}", "{{AuthServer.Password}}"
            print("PLAIN:", s.auth("PLAIN", s.auth_plain))
            """);
        Assert.True(code == 0, output);
        Assert.Equal("LOGIN: 535 b'5.7.8 Authentication credentials invalid'", Line(output, "LOGIN:"));
        Assert.Equal("PLAIN: (235, b'2.7.0 Authentication successful')", Line(output, "PLAIN:"));
        await fixture.WaitForAuthLineAsync("PLAIN");
        await fixture.Server.WaitForLogAsync(l => l.Contains("AUTH failure (LOGIN): BadCredentials", StringComparison.Ordinal)
            && l.Contains("user=alice, relay=laptop.test [127.0.0.1]", StringComparison.Ordinal));
        fixture.AssertNoSecretInLog();
        Assert.DoesNotContain(wrong, fixture.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthServer.Base64(wrong), fixture.Server.Log, StringComparison.Ordinal);
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.TrimEnd() ?? throw new Xunit.Sdk.XunitException($"no {prefix} line in:\n{output}");

    private Task<(int Code, string Output)> PythonAsync(string listener, string dialog) =>
        ExternalCommand.RunAsync("python3", "-c", $$"""
            import smtplib, ssl
            context = ssl.create_default_context(cafile="{{fixture.Pki["ca.pem"]}}")
            s = smtplib.SMTP("localhost", {{fixture.Port(listener)}}, local_hostname="laptop.test", timeout=30)
            {{dialog}}
            s.quit()
            """);
}
