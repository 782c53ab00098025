namespace Postern.EndToEnd;

/// <summary>The certificate cases of issue 5 with swaks as the client (<c>--tls --tls-cert --tls-key</c>).</summary>
public sealed class SwaksCertificateRelayTests
{
    [Theory]
    [MemberData(nameof(CertificateCases.All), MemberType = typeof(CertificateCases))]
    public async Task Only_joes_verified_certificate_relays_to_the_sink(string certificate, string verify)
    {
        using var pki = new TestPki();
        await using var hub = await CertificateCases.StartHubAsync(pki);
        var token = "swaks-" + Guid.NewGuid().ToString("N");

        var (code, transcript) = await Swaks.SendAsync(pki, hub.Port, certificate, "joe@laptop.test", CertificateCases.Recipient, token);

        if (certificate == "client")
        {
            Assert.True(code == 0, transcript);
            await hub.AssertRelayedAsync(token, CertificateCases.Recipient, transcript);
            return;
        }
        Assert.True(code != 0, transcript);
        // swaks marks an error reply "<~* " inside TLS; a refused handshake shows no RCPT at all.
        var refusal = transcript.Split('\n').FirstOrDefault(l => l.StartsWith("<~* ", StringComparison.Ordinal));
        var sawRcpt = transcript.Contains(" ~> RCPT TO:<" + CertificateCases.Recipient + ">", StringComparison.Ordinal);
        await CertificateCases.AssertRefusedAsync(hub, sawRcpt ? refusal?["<~* ".Length..].Trim() ?? "" : null, verify, transcript);
    }
}
