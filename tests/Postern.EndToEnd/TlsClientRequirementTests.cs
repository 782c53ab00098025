namespace Postern.EndToEnd;

/// <summary>
/// A <c>TLS_Clt:127.0.0.1 VERIFY</c> entry: a client from that address must have a verified
/// certificate, or gets sendmail's 403 4.7.0 at MAIL; with Joe's certificate it relays.
/// </summary>
public sealed class TlsClientRequirementTests
{
    [Fact]
    public async Task Plaintext_and_unverified_clients_get_403_at_mail_and_a_verified_one_relays()
    {
        using var pki = new TestPki();
        var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
        Assert.True(entryCode == 0, entry);
        await using var hub = await CertificateHub.StartWithMapAsync(pki, entry + "TLS_Clt:127.0.0.1\tVERIFY\n");
        var token = "verified-" + Guid.NewGuid().ToString("N");

        var output = await PythonSmtp.RunAsync(pki, hub.Port, $$"""
            for label, cert, tls in [("plain", "", False), ("nocert", "", True), ("forged", "forged", True)]:
                s = session(cert, tls)
                show(label, s.mail("joe@laptop.test"))
                s.quit()
            s = session("client")
            show("verified-mail", s.mail("joe@laptop.test"))
            show("verified-rcpt", s.rcpt("someone@remote.test"))
            show("verified-data", s.data(message("{{token}}")))
            s.quit()
            """);

        Assert.Contains("plain 403 4.7.0 other side does not support STARTTLS", output, StringComparison.Ordinal);
        Assert.Contains("nocert 403 4.7.0 ", output, StringComparison.Ordinal);
        Assert.Contains("forged 403 4.7.0 authentication failed", output, StringComparison.Ordinal);
        Assert.Contains("verified-mail 250 ", output, StringComparison.Ordinal);
        Assert.Contains("verified-data 250 ", output, StringComparison.Ordinal);
        await hub.AssertRelayedAsync(token, CertificateCases.Recipient, output);
        Assert.Equal(3, hub.Postern.Log.Split('\n').Count(l => l.Contains("ruleset=check_mail", StringComparison.Ordinal) && l.Contains("reject=403 4.7.0", StringComparison.Ordinal)));
        Assert.Equal([(token, CertificateCases.Recipient)], hub.Sink.Delivered);
    }
}
