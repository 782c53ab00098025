namespace Postern.EndToEnd;

/// <summary>
/// REQUIRETLS (RFC 8689) and per-route identity with real peers: a private Postfix that demands a
/// client certificate (smtpd_tls_req_ccert) and names the one it verified in its Received header,
/// and does not offer REQUIRETLS (Debian 12's 3.7); and a second Postern, which does.
/// </summary>
public sealed class RequireTlsRouteIdentityTests
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The sending Postern: laptop.test (user joe) with STARTTLS on its MTA listener, relaying for
    /// loopback clients; Joe User's certificate is the global client certificate, and the route to
    /// <paramref name="domain"/> presents Other User's instead.
    /// </summary>
    private static string SenderConfig(TestPki pki, string domain, int port, string routeTls, bool routeCertificate) =>
        PosternConfig.Host("laptop.test")
            .WithListener("mta", "mta", tls: "starttls")
            .WithLocal(["laptop.test"], ["joe"])
            .WithServerTls(pki)
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
            .WithSection($"[delivery]\nverify_ca_file = \"{pki["ca.pem"]}\"")
            .WithSection($"""
                [[route]]
                domain = "{domain}"
                via = "[127.0.0.1]:{port}"
                tls = "{routeTls}"
                """ + (routeCertificate ? $"\nclient_cert = \"{pki["other.pem"]}\"\nclient_key = \"{pki["other.key"]}\"" : ""))
            .ToToml()
            // [tls] is written by WithServerTls; the global client certificate joins it.
            .Replace($"\nca_file = \"{pki["ca.pem"]}\"\n", $"\nca_file = \"{pki["ca.pem"]}\"\nclient_cert = \"{pki["client.pem"]}\"\nclient_key = \"{pki["client.key"]}\"\n", StringComparison.Ordinal);

    /// <summary>Sends one message through Postern over STARTTLS (verified against the test CA), with MAIL ... REQUIRETLS when asked.</summary>
    private static async Task SendAsync(TestPki pki, int port, string to, string token, bool requireTls)
    {
        var options = requireTls ? "[\"REQUIRETLS\"]" : "[]";
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", $$"""
            import smtplib, ssl
            s = smtplib.SMTP("127.0.0.1", {{port}}, local_hostname="client.test", timeout=30)
            s.starttls(context=ssl.create_default_context(cafile="{{pki["ca.pem"]}}"))
            s.ehlo("client.test")
            assert s.has_extn("requiretls"), s.esmtp_features
            refused = s.sendmail("joe@laptop.test", ["{{to}}"], "Subject: {{token}}\r\nMessage-ID: <{{token}}@laptop.test>\r\n\r\nsecret\r\n", mail_options={{options}})
            assert refused == {}, refused
            s.quit()
            """);
        Assert.True(code == 0, output);
    }

    /// <summary>The bounce with folded header lines joined, so a long Diagnostic-Code reads as one line.</summary>
    private static string Unfolded(string message) => System.Text.RegularExpressions.Regex.Replace(message, "\r?\n[ \t]+", " ");

    [Fact]
    public async Task A_routes_own_client_certificate_is_the_one_postfix_verifies()
    {
        using var pki = new TestPki();
        await using var postfix = await PostfixInstance.StartAsync(pki);
        var dataDir = PosternProcess.NewDataDir();
        var postern = await PosternProcess.StartAsync(SenderConfig(pki, "postfix.test", postfix.Port, "verify", routeCertificate: true), dataDir, listeners: 1);
        try
        {
            var token = "route-cert-" + Guid.NewGuid().ToString("N");
            await SendAsync(pki, postern.Mta.Port, "user@postfix.test", token, requireTls: false);

            string delivered;
            try
            {
                delivered = await postfix.WaitForMailAsync(token, MailWait);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(e.Message + "\npostern log:\n" + postern.Log + "\npostfix log:\n" + postfix.Log, e);
            }
            // Postfix's Received header (smtpd_tls_received_header) names the client certificate it verified:
            // the route's Other User, not the global Joe User.
            Assert.Contains("(Client CN \"Other User\", Issuer \"Joe's Certificate Authority\" (verified OK))", delivered, StringComparison.Ordinal);
            Assert.DoesNotContain("Client CN \"Joe User\"", delivered, StringComparison.Ordinal);
        }
        finally
        {
            await postern.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_requiretls_message_to_postfix_which_does_not_offer_it_bounces_with_5_7_30()
    {
        using var pki = new TestPki();
        await using var postfix = await PostfixInstance.StartAsync(pki);
        var dataDir = PosternProcess.NewDataDir();
        var postern = await PosternProcess.StartAsync(SenderConfig(pki, "postfix.test", postfix.Port, "verify", routeCertificate: true), dataDir, listeners: 1);
        try
        {
            var token = "requiretls-" + Guid.NewGuid().ToString("N");
            await SendAsync(pki, postern.Mta.Port, "user@postfix.test", token, requireTls: true);

            // The bounce comes back to joe at once (no retry), delivered locally although the original required TLS.
            var bounce = Unfolded(await postern.WaitForMailAsync("joe", token, MailWait));
            Assert.Contains("5.7.30", bounce, StringComparison.Ordinal);
            Assert.Contains("does not offer REQUIRETLS", bounce, StringComparison.Ordinal);
            await postern.WaitForLogAsync(l => l.Contains("REQUIRETLS not met", StringComparison.Ordinal) && l.Contains("550 5.7.30", StringComparison.Ordinal));
            await postern.WaitForLogAsync(l => l.Contains("to=<user@postfix.test>", StringComparison.Ordinal) && l.Contains("dsn=5.7.30", StringComparison.Ordinal));
            // Postfix verified TLS (so the refusal was about REQUIRETLS alone) and got no message.
            Assert.Contains("Trusted TLS connection established from localhost[127.0.0.1]", postfix.Log, StringComparison.Ordinal);
            await Assert.ThrowsAsync<TimeoutException>(() => postfix.WaitForMailAsync(token, TimeSpan.FromSeconds(2)));
        }
        finally
        {
            await postern.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_requiretls_message_reaches_a_second_postern_over_verified_tls()
    {
        using var pki = new TestPki();
        var receiverDir = PosternProcess.NewDataDir();
        var receiver = await PosternProcess.StartAsync(
            PosternConfig.Host("second.test")
                .WithListener("mta", "mta", tls: "starttls")
                .WithLocal(["second.test"], ["bob"])
                .WithServerTls(pki)
                .ToToml(),
            receiverDir,
            listeners: 1);
        var senderDir = PosternProcess.NewDataDir();
        PosternProcess? sender = null;
        try
        {
            sender = await PosternProcess.StartAsync(SenderConfig(pki, "second.test", receiver.Mta.Port, "verify", routeCertificate: false), senderDir, listeners: 1);
            var token = "requiretls-" + Guid.NewGuid().ToString("N");
            await SendAsync(pki, sender.Mta.Port, "bob@second.test", token, requireTls: true);

            var delivered = await receiver.WaitForMailAsync("bob", token, MailWait);
            Assert.Contains("secret", delivered, StringComparison.Ordinal);
            Assert.Contains("by second.test", delivered, StringComparison.Ordinal);
            await sender.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal));
            await sender.WaitForLogAsync(l => l.Contains("to=<bob@second.test>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
            Assert.DoesNotContain("REQUIRETLS not met", sender.Log, StringComparison.Ordinal);
        }
        finally
        {
            if (sender is not null)
            {
                await sender.DisposeAsync();
            }
            await receiver.DisposeAsync();
            Directory.Delete(senderDir, recursive: true);
            Directory.Delete(receiverDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_requiretls_message_over_tls_that_did_not_authenticate_the_second_postern_bounces()
    {
        using var pki = new TestPki();
        var receiverDir = PosternProcess.NewDataDir();
        var receiver = await PosternProcess.StartAsync(
            PosternConfig.Host("second.test")
                .WithListener("mta", "mta", tls: "starttls")
                .WithLocal(["second.test"], ["bob"])
                .WithServerTls(pki)
                .ToToml(),
            receiverDir,
            listeners: 1);
        var senderDir = PosternProcess.NewDataDir();
        PosternProcess? sender = null;
        try
        {
            // "encrypt": TLS without checking the certificate, which REQUIRETLS does not accept.
            sender = await PosternProcess.StartAsync(SenderConfig(pki, "second.test", receiver.Mta.Port, "encrypt", routeCertificate: false), senderDir, listeners: 1);
            var token = "requiretls-" + Guid.NewGuid().ToString("N");
            await SendAsync(pki, sender.Mta.Port, "bob@second.test", token, requireTls: true);

            var bounce = Unfolded(await sender.WaitForMailAsync("joe", token, MailWait));
            Assert.Contains("5.7.30", bounce, StringComparison.Ordinal);
            Assert.Contains("is not authenticated", bounce, StringComparison.Ordinal);
            await Assert.ThrowsAsync<TimeoutException>(() => receiver.WaitForMailAsync("bob", token, TimeSpan.FromSeconds(2)));
        }
        finally
        {
            if (sender is not null)
            {
                await sender.DisposeAsync();
            }
            await receiver.DisposeAsync();
            Directory.Delete(senderDir, recursive: true);
            Directory.Delete(receiverDir, recursive: true);
        }
    }
}
