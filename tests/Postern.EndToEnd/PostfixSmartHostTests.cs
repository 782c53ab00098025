namespace Postern.EndToEnd;

/// <summary>
/// Issue 4: a real Postfix as Postern's smart host, on a loopback port, requiring a client
/// certificate (smtpd_tls_req_ccert) that verifies against the test CA: Postern relays over
/// STARTTLS with verify, presents Joe User's certificate, and Postfix delivers the message.
/// </summary>
public sealed class PostfixSmartHostTests
{
    [Fact]
    public async Task Postfix_requiring_a_client_certificate_accepts_mail_relayed_by_postern()
    {
        using var pki = new TestPki();
        await using var postfix = await PostfixInstance.StartAsync(pki);

        // Without a client certificate this Postfix refuses to go on after STARTTLS: the certificate is what gets Postern in.
        var (refusedCode, refusedOutput) = await ExternalCommand.RunAsync("python3", "-c", $$"""
            import smtplib, ssl
            s = smtplib.SMTP("127.0.0.1", {{postfix.Port}}, timeout=30)
            s.ehlo("nocert.test")
            s.starttls(context=ssl.create_default_context(cafile="{{pki["ca.pem"]}}"))
            code, text = s.ehlo("nocert.test")
            assert code == 421 and b"No client certificate presented" in text, (code, text)
            """);
        Assert.True(refusedCode == 0, refusedOutput + "\npostfix log:\n" + postfix.Log);

        var dataDir = PosternProcess.NewDataDir();
        var postern = await PosternProcess.StartAsync(LaptopConfig.WithClientCertificate(pki, postfix.Port), dataDir, listeners: 1);
        try
        {
            var token = "postfix-" + Guid.NewGuid().ToString("N");
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", $$"""
                import smtplib
                s = smtplib.SMTP("127.0.0.1", {{postern.Mta.Port}}, local_hostname="client.test", timeout=30)
                refused = s.sendmail("joe@laptop.test", ["user@postfix.test"], "Subject: {{token}}\r\nMessage-ID: <{{token}}@laptop.test>\r\n\r\nthrough postfix\r\n")
                assert refused == {}, refused
                s.quit()
                """);
            Assert.True(code == 0, output);

            string delivered;
            try
            {
                delivered = await postfix.WaitForMailAsync(token, TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(e.Message + "\npostern log:\n" + postern.Log, e);
            }
            Assert.Contains("through postfix", delivered, StringComparison.Ordinal);
            Assert.Contains("Delivered-To: user@postfix.test", delivered, StringComparison.Ordinal);
            // Postfix's Received header (smtpd_tls_received_header) names the client certificate it verified.
            Assert.Contains("(Client CN \"Joe User\", Issuer \"Joe's Certificate Authority\" (verified OK))", delivered, StringComparison.Ordinal);
            Assert.Contains("by postfix.test (Postfix) with ESMTPS", delivered, StringComparison.Ordinal);
            Assert.Contains("Trusted TLS connection established from localhost[127.0.0.1]", postfix.Log, StringComparison.Ordinal);

            await postern.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal));
            await postern.WaitForLogAsync(l => l.Contains("to=<user@postfix.test>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal)
                && l.Contains("relay=127.0.0.1 [127.0.0.1]", StringComparison.Ordinal));
        }
        finally
        {
            await postern.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
