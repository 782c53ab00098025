namespace Postern.EndToEnd;

/// <summary>
/// Seed 000 end to end against a real Sendmail: the laptop's Sendmail (confCLIENT_CERT and
/// confCLIENT_KEY from Joe's CA, Postern as its SMART_HOST) relays to an external domain through
/// Postern, authorised by the CERTISSUER line <c>postern cert access-entry</c> printed; the same
/// Sendmail with the forged certificate (identical DNs, other key and CA) is refused: seed 004's
/// pitfall.
/// </summary>
public sealed class SendmailClientTests
{
    private const string Recipient = "someone@" + CertificateHub.RemoteDomain;

    internal static string Message(string token) =>
        $"From: Joe User <joe@client.test>\nTo: <{Recipient}>\nSubject: {token}\nX-Token: {token}\n\nfrom the laptop's sendmail\n";

    [Fact]
    public async Task Sendmail_with_the_client_certificate_relays_through_postern_by_its_certissuer_entry()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: "client.pem");
        Assert.Contains("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", hub.AccessMap, StringComparison.Ordinal);
        using var sendmail = await SendmailClient.CreateAsync(pki, "client", hub.Port);

        var token = "sendmail-" + Guid.NewGuid().ToString("N");
        var (code, transcript) = await sendmail.SendAsync("joe@client.test", Message(token));

        Assert.True(code == 0, transcript + "\npostern log:\n" + hub.Postern.Log);
        // Sendmail itself: through the smart host, over STARTTLS, accepted.
        Assert.Contains($"Connecting to [127.0.0.1] port {hub.Port} via relay", transcript, StringComparison.Ordinal);
        Assert.Contains(">>> STARTTLS", transcript, StringComparison.Ordinal);
        Assert.Contains($"<{Recipient}>... Sent (Ok: queued as ", transcript, StringComparison.Ordinal);
        await hub.AssertRelayedAsync(token, Recipient, transcript);
        await hub.Postern.WaitForLogAsync(l => l.Contains("relay=client.test [127.0.0.1]", StringComparison.Ordinal) && l.Contains("from=<joe@client.test>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sendmail_with_the_forged_certificate_is_refused_and_nothing_reaches_the_next_hop()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: "client.pem");
        // The forger's Sendmail trusts the forger's CA, so it presents the forged certificate chained to it.
        using var sendmail = await SendmailClient.CreateAsync(pki, "forged", hub.Port, trust: "impostor.pem");

        var (code, transcript) = await sendmail.SendAsync("joe@client.test", Message("forged-" + Guid.NewGuid().ToString("N")));

        // Sendmail got the refusal for the recipient (a permanent failure) and never got to send the message.
        Assert.True(code != 0, transcript);
        Assert.Contains(">>> STARTTLS", transcript, StringComparison.Ordinal);
        Assert.Contains($"550 5.7.1 <{Recipient}>: Relaying denied", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("\n354 ", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("... Sent", transcript, StringComparison.Ordinal);
        await hub.AssertRefusedAsync(Recipient, verify: "FAIL");
    }

    /// <summary>
    /// The forged certificate from a Sendmail that trusts Joe's real CA: OpenSSL completes the chain
    /// with the real CA's certificate (same name, but its key did not sign the forgery). Postern's
    /// TLS layer (.NET 10's inline certificate check) aborts that handshake before Postern can
    /// record verify=FAIL; either way nothing may be queued or relayed.
    /// </summary>
    [Fact]
    public async Task Sendmail_with_the_forged_certificate_chained_to_the_real_ca_gets_nothing_relayed()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: "client.pem");
        using var sendmail = await SendmailClient.CreateAsync(pki, "forged", hub.Port, trust: "ca.pem");

        var (_, transcript) = await sendmail.SendAsync("joe@client.test", Message("forged-" + Guid.NewGuid().ToString("N")));

        Assert.Contains(">>> STARTTLS", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("... Sent", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("\n354 ", transcript, StringComparison.Ordinal);
        await hub.Postern.WaitForLogAsync(l => l.Contains("STARTTLS=server", StringComparison.Ordinal)
            && (l.Contains("handshake failed", StringComparison.Ordinal) || l.Contains("verify=FAIL,", StringComparison.Ordinal)));
        await hub.Postern.WaitForLogAsync(l => l.Contains("disconnect from [127.0.0.1]", StringComparison.Ordinal));
        Assert.DoesNotContain("verify=OK", hub.Postern.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(": from=<", hub.Postern.Log, StringComparison.Ordinal);
        Assert.Empty(hub.Sink.Delivered);
    }
}
