namespace Postern.EndToEnd;

/// <summary>The certificate cases of issue 5 with <c>openssl s_client -starttls smtp -cert -key</c> as the client.</summary>
public sealed class OpenSslCertificateRelayTests
{
    [Theory]
    [MemberData(nameof(CertificateCases.All), MemberType = typeof(CertificateCases))]
    public async Task Only_joes_verified_certificate_relays_to_the_sink(string certificate, string verify)
    {
        using var pki = new TestPki();
        await using var hub = await CertificateCases.StartHubAsync(pki);
        var token = "openssl-" + Guid.NewGuid().ToString("N");

        using var client = OpenSslSmtpClient.Start(hub.Port,
            certificate.Length == 0 ? null : pki[certificate + ".pem"], certificate.Length == 0 ? null : pki[certificate + ".key"]);
        var rcpt = await client.RelayAsync("joe@laptop.test", CertificateCases.Recipient, token);

        if (certificate == "client")
        {
            Assert.True(rcpt is not null && rcpt.StartsWith("250 ", StringComparison.Ordinal), client.Transcript);
            Assert.Contains("S: 250 2.0.0 ", client.Transcript, StringComparison.Ordinal);
            await hub.AssertRelayedAsync(token, CertificateCases.Recipient, client.Transcript);
            return;
        }
        await CertificateCases.AssertRefusedAsync(hub, rcpt?.TrimEnd(), verify, client.Transcript);
    }
}
