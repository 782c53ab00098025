using System.Globalization;

namespace Postern.EndToEnd.Acme;

/// <summary>
/// <c>tls.client_cert = "acme"</c>: the relay client presents the ACME certificate. A Postern with
/// [acme] relays through a second Postern (its smart host) that asks for client certificates and
/// trusts pebble's root: the smart host logs the certificate's subject with verify=OK and stamps
/// verify=OK in the Received header.
/// </summary>
public sealed class AcmeClientCertificateTests
{
    [Fact]
    public async Task The_relay_client_presents_the_acme_certificate_to_a_smart_host_that_asks()
    {
        await using var ca = await AcmeTestCa.StartAsync();
        using var pki = new TestPki();
        var hubConfig = PosternConfig.Host("hub.e2e.test")
            .WithListener("mta", "mta", tls: "starttls", clientCert: "ask")
            .WithLocal(["hub.e2e.test"], ["user"])
            .WithServerTls(pki["server.pem"], pki["server.key"], ca.RootFile)
            .ToToml();
        var hub = await PosternProcess.StartAsync(hubConfig, listeners: 1);
        PosternProcess? laptop = null;
        try
        {
            var config = AcmePostern.Config(ca)
                .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
                .WithSection($"[delivery]\nsmarthost = \"[127.0.0.1]:{hub.Mta.Port.ToString(CultureInfo.InvariantCulture)}\"\ntls = \"verify\"\nverify_ca_file = \"{pki["ca.pem"]}\"")
                .WithSection("[tls]\nclient_cert = \"acme\"")
                .ToToml();
            laptop = await PosternProcess.StartAsync(config, listeners: 2);
            await AcmePostern.WaitForIssuedAsync(laptop, ca);

            var token = "acme-client-" + Guid.NewGuid().ToString("N")[..10];
            var (code, transcript) = await ExternalCommand.RunAsync("swaks", "--server", "127.0.0.1", "--port", laptop.Mta.Port.ToString(CultureInfo.InvariantCulture),
                "--ehlo", "client.e2e.test", "--from", "joe@" + AcmePostern.HostName, "--to", "user@hub.e2e.test",
                "--timeout", "30", "--header", "Subject: " + token, "--body", "relayed with the ACME certificate");
            Assert.True(code == 0, transcript);

            var delivered = await hub.WaitForMailAsync("user", token, TimeSpan.FromSeconds(60));
            Assert.Contains("verify=OK)", delivered, StringComparison.Ordinal);
            await hub.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal)
                && l.Contains("cert-subject=/CN=" + AcmePostern.HostName, StringComparison.Ordinal)
                && l.Contains("cert-issuer=/CN=Pebble Intermediate CA", StringComparison.Ordinal));
            await laptop.WaitForLogAsync(l => l.Contains("STARTTLS=client", StringComparison.Ordinal) && l.Contains("verify=OK", StringComparison.Ordinal));
        }
        finally
        {
            if (laptop is not null)
            {
                await laptop.DisposeAsync();
                Directory.Delete(laptop.DataDir, recursive: true);
            }
            await hub.DisposeAsync();
            Directory.Delete(hub.DataDir, recursive: true);
        }
    }
}
