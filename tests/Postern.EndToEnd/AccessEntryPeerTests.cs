using System.Globalization;

namespace Postern.EndToEnd;

/// <summary>
/// Issue 5's "done when": the line <c>postern cert access-entry</c> prints, pasted unchanged into
/// the access map, is what lets the real peers relay. Without it the genuine Sendmail and Postfix
/// clients (verify=OK) are refused like anyone else; after appending the command's output and a
/// SIGHUP, the same Sendmail relays.
/// </summary>
public sealed class AccessEntryPeerTests
{
    private const string Recipient = "someone@" + CertificateHub.RemoteDomain;

    [Fact]
    public async Task Verified_peers_relay_only_once_the_access_entry_output_is_in_the_map()
    {
        using var pki = new TestPki();
        await using var hub = await CertificateHub.StartAsync(pki, entryFor: null);
        using var sendmail = await SendmailClient.CreateAsync(pki, "client", hub.Port);
        await using var postfix = await PostfixInstance.StartClientAsync(pki, "client", hub.Port);

        // Both at once: a verified certificate alone relays nothing.
        var postfixToken = "postfix-" + Guid.NewGuid().ToString("N");
        var refusedSendmail = sendmail.SendAsync("joe@client.test", SendmailClientTests.Message("sendmail-" + Guid.NewGuid().ToString("N")));
        await postfix.SubmitAsync("joe@postfix.test", $"From: joe@postfix.test\nTo: {Recipient}\nSubject: {postfixToken}\n\nno entry yet\n");
        var (code, transcript) = await refusedSendmail;
        Assert.True(code != 0, transcript);
        Assert.Contains($"550 5.7.1 <{Recipient}>: Relaying denied", transcript, StringComparison.Ordinal);
        var bounce = await postfix.WaitForMailAsync(postfixToken, TimeSpan.FromSeconds(60));
        Assert.Contains("550 5.7.1", bounce, StringComparison.Ordinal);
        await hub.AssertRefusedAsync(Recipient, verify: "OK");
        Assert.Equal(2, hub.Postern.Log.Split('\n').Count(l => l.Contains("STARTTLS=server", StringComparison.Ordinal) && l.Contains("verify=OK,", StringComparison.Ordinal)));

        // Paste the command's output as it is, reload, and the same Sendmail relays.
        var (entryCode, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
        Assert.True(entryCode == 0, entry);
        await File.AppendAllTextAsync(Path.Combine(hub.Postern.DataDir, "access"), entry);
        var (hupCode, hup) = await ExternalCommand.RunAsync("kill", "-HUP", hub.Postern.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.True(hupCode == 0, hup);
        await hub.Postern.WaitForLogAsync(l => l.Contains("reloaded", StringComparison.Ordinal));
        Assert.DoesNotContain("reload failed", hub.Postern.Log, StringComparison.Ordinal);

        var token = "sendmail-" + Guid.NewGuid().ToString("N");
        (code, transcript) = await sendmail.SendAsync("joe@client.test", SendmailClientTests.Message(token));
        Assert.True(code == 0, transcript + "\npostern log:\n" + hub.Postern.Log);
        Assert.Contains($"<{Recipient}>... Sent (Ok: queued as ", transcript, StringComparison.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!hub.Sink.Delivered.Contains((token, Recipient)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the sink got nothing; postern log:\n" + hub.Postern.Log);
            await Task.Delay(50);
        }
        await hub.Postern.WaitForLogAsync(l => l.Contains($"to=<{Recipient}>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
    }
}
