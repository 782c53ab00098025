namespace Postern.EndToEnd;

/// <summary>
/// A real Postfix as the certified client: relayhost = Postern, smtp_tls_security_level =
/// encrypt, smtp_tls_cert_file/smtp_tls_key_file from Joe's CA. Postern's access map is what
/// <c>postern cert access-entry</c> printed for the CA certificate itself (seed 000 takes the
/// issuer of a self-signed certificate). With the forged certificate Postfix is refused and
/// bounces the message to its sender (a local mailbox of that Postfix).
/// </summary>
public sealed class PostfixClientTests
{
    private const string Recipient = "someone@" + CertificateHub.RemoteDomain;

    private static string Message(string token) =>
        $"From: Joe User <joe@postfix.test>\nTo: {Recipient}\nSubject: {token}\nX-Token: {token}\nMessage-ID: <{token}@postfix.test>\n\nfrom the branch office's postfix\n";

    [Fact]
    public async Task Postfix_with_the_client_certificate_relays_through_postern_by_its_certissuer_entry()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: "ca.pem");
        Assert.Contains("CERTISSUER:/C=US/ST=Washington/O=Foo+20Enterprises/CN=Joe's+20Certificate+20Authority\tRELAY", hub.AccessMap, StringComparison.Ordinal);
        await using var postfix = await PostfixInstance.StartClientAsync(pki, "client", hub.Port);

        var token = "postfix-" + Guid.NewGuid().ToString("N");
        await postfix.SubmitAsync("joe@postfix.test", Message(token));

        await hub.AssertRelayedAsync(token, Recipient, "postfix log:\n" + postfix.Log);
        await hub.Postern.WaitForLogAsync(l => l.Contains("relay=postfix.test [127.0.0.1]", StringComparison.Ordinal) && l.Contains("from=<joe@postfix.test>", StringComparison.Ordinal));
        await WaitForPostfixLogAsync(postfix, $"to=<{Recipient}>, relay=127.0.0.1[127.0.0.1]:{hub.Port}", "status=sent");
        Assert.Contains($"TLS connection established to 127.0.0.1[127.0.0.1]:{hub.Port}", postfix.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postfix_with_the_forged_certificate_is_refused_and_bounces_nothing_reaching_the_next_hop()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: "ca.pem");
        await using var postfix = await PostfixInstance.StartClientAsync(pki, "forged", hub.Port);

        var token = "postfix-forged-" + Guid.NewGuid().ToString("N");
        await postfix.SubmitAsync("joe@postfix.test", Message(token));

        // Postfix's own view: the relayhost refused the recipient, the sender gets a bounce saying so.
        var bounce = await postfix.WaitForMailAsync(token, TimeSpan.FromSeconds(60));
        Assert.Contains("550 5.7.1", bounce, StringComparison.Ordinal);
        Assert.Contains("Relaying denied", bounce, StringComparison.Ordinal);
        Assert.Contains("Final-Recipient: rfc822; " + Recipient, bounce, StringComparison.Ordinal);
        await hub.AssertRefusedAsync(Recipient, verify: "FAIL");
    }

    private static async Task WaitForPostfixLogAsync(PostfixInstance postfix, string part, string other)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!postfix.Log.Split('\n').Any(l => l.Contains(part, StringComparison.Ordinal) && l.Contains(other, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no postfix log line with {part} and {other}:\n{postfix.Log}");
            }
            await Task.Delay(100);
        }
    }
}
