namespace Postern.EndToEnd;

/// <summary>
/// Seeds 000 and 001 end to end: a laptop's Postern relays through its smart host (another Postern)
/// over STARTTLS with verify, presenting Joe User's client certificate; a recipient the smart host
/// refuses comes back to the sender as a DSN.
/// </summary>
public sealed class RelayTests
{
    private static string HubConfig(TestPki pki) =>
        PosternConfig.Host("hub.test")
            .WithListener("mta", "mta", tls: "starttls", clientCert: "ask")
            .WithLocal(["hub.test"], ["user"])
            .WithServerTls(pki)
            .ToToml();

    [Fact]
    public async Task A_laptop_relays_through_its_smart_host_with_a_verified_client_certificate_and_gets_dsns_back()
    {
        using var pki = new TestPki();
        var hub = await PosternProcess.StartAsync(HubConfig(pki), listeners: 1);
        var laptop = await PosternProcess.StartAsync(LaptopConfig.WithClientCertificate(pki, hub.Mta.Port), listeners: 1);
        try
        {
            var token = "relay-" + Guid.NewGuid().ToString("N");
            var script = $$"""
                import smtplib
                s = smtplib.SMTP("127.0.0.1", {{laptop.Mta.Port}}, local_hostname="client.test", timeout=30)
                refused = s.sendmail("joe@laptop.test", ["user@hub.test", "nobody@hub.test"], "Subject: {{token}}\r\nMessage-ID: <{{token}}@laptop.test>\r\n\r\nthrough the hub\r\n")
                assert refused == {}, refused
                s.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
            Assert.True(code == 0, output);

            var delivered = await hub.WaitForMailAsync("user", token);
            Assert.Contains("through the hub", delivered, StringComparison.Ordinal);
            Assert.Contains("verify=OK)", delivered, StringComparison.Ordinal);
            await hub.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal)
                && l.Contains("cert-subject=/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User", StringComparison.Ordinal));
            await laptop.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal));

            // nobody@hub.test was refused by the hub: Joe gets a DSN naming it, from <>.
            var bounce = await laptop.WaitForMailAsync("joe", "nobody@hub.test");
            Assert.StartsWith("Return-Path: <>", bounce, StringComparison.Ordinal);
            Assert.Contains("report-type=delivery-status", bounce, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Final-Recipient: rfc822; nobody@hub.test", bounce, StringComparison.Ordinal);
            Assert.Contains("Status: 5.1.1", bounce, StringComparison.Ordinal);
            Assert.DoesNotContain("Final-Recipient: rfc822; user@hub.test", bounce, StringComparison.Ordinal);
        }
        finally
        {
            await laptop.DisposeAsync();
            await hub.DisposeAsync();
            Directory.Delete(laptop.DataDir, recursive: true);
            Directory.Delete(hub.DataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Relaying_is_refused_to_clients_outside_relay_networks()
    {
        var server = await PosternProcess.StartAsync(PosternProcess.Config("[policy]\nrelay_networks = [\"192.0.2.0/24\"]\nrelay_domains = [\"relay.test\"]\n"));
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(server.Mta);
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO outsider.test");
            await client.CommandAsync("MAIL FROM:<a@example.org>");
            Assert.StartsWith("550 5.7.1", await client.CommandAsync("RCPT TO:<victim@elsewhere.example>"), StringComparison.Ordinal);
            Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<someone@relay.test>"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }
}
