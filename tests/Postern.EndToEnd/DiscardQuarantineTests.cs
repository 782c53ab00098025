using System.Text.RegularExpressions;

namespace Postern.EndToEnd;

/// <summary>
/// DISCARD and QUARANTINE entries through the real binary: the client is told 250 either way; a
/// discarded message is neither queued nor delivered, a quarantined one waits on hold with its
/// reason until <c>postern queue release</c>, which lets it go to the sink.
/// </summary>
public sealed partial class DiscardQuarantineTests
{
    [Fact]
    public async Task A_discarded_sender_is_told_250_but_nothing_is_queued_or_delivered()
    {
        using var pki = new TestPki();
        await using var hub = await StartAsync(pki, "From:spammer@x.test\tDISCARD\n");
        var discarded = "discarded-" + Guid.NewGuid().ToString("N");
        var control = "control-" + Guid.NewGuid().ToString("N");

        var output = await PythonSmtp.RunAsync(pki, hub.Port, $$"""
            s = session("client")
            show("discard-mail", s.mail("spammer@x.test"))
            show("discard-rcpt", s.rcpt("someone@remote.test"))
            show("discard-data", s.data(message("{{discarded}}")))
            show("control-mail", s.mail("joe@laptop.test"))
            show("control-rcpt", s.rcpt("someone@remote.test"))
            show("control-data", s.data(message("{{control}}")))
            s.quit()
            """);

        Assert.Matches(@"discard-data 250 2\.0\.0 ", output);
        Assert.Matches(@"control-data 250 2\.0\.0 ", output);
        // The control message went the same way after it: once it is at the sink, the other would be too.
        await hub.WaitForSinkAsync(control, CertificateCases.Recipient, output);
        var line = await hub.Postern.WaitForLogAsync(l => l.Contains(": discarded, from=<spammer@x.test>", StringComparison.Ordinal));
        Assert.Contains("reason=", line, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Postern.Log.Split('\n'), l => l.Contains(": from=<spammer@x.test>", StringComparison.Ordinal));
        Assert.Equal([(control, CertificateCases.Recipient)], hub.Sink.Delivered);
        await WaitForQueueAsync(hub, list => list.Trim() == "Mail queue is empty");
    }

    [Fact]
    public async Task Quarantined_mail_is_held_with_its_reason_until_released_then_delivered()
    {
        using var pki = new TestPki();
        await using var hub = await StartAsync(pki,
            "From:held@laptop.test\tQUARANTINE:sender under review\n"
            + "To:review@remote.test\tQUARANTINE:recipient under review\n");
        var bySender = "by-sender-" + Guid.NewGuid().ToString("N");
        var byRecipient = "by-recipient-" + Guid.NewGuid().ToString("N");
        var control = "control-" + Guid.NewGuid().ToString("N");

        var output = await PythonSmtp.RunAsync(pki, hub.Port, $$"""
            s = session("client")
            show("sender-data", s.sendmail("held@laptop.test", ["someone@remote.test"], message("{{bySender}}")) or (250, b"accepted"))
            show("recipient-data", s.sendmail("joe@laptop.test", ["review@remote.test"], message("{{byRecipient}}")) or (250, b"accepted"))
            show("control-data", s.sendmail("joe@laptop.test", ["someone@remote.test"], message("{{control}}")) or (250, b"accepted"))
            s.quit()
            """);
        Assert.Contains("sender-data 250 accepted", output, StringComparison.Ordinal);
        Assert.Contains("recipient-data 250 accepted", output, StringComparison.Ordinal);

        await hub.WaitForSinkAsync(control, CertificateCases.Recipient, output);
        var list = await WaitForQueueAsync(hub, l => l.Contains("(quarantine: sender under review", StringComparison.Ordinal)
            && l.Contains("(quarantine: recipient under review", StringComparison.Ordinal));
        var held = HeldEntry().Matches(list).Select(m => (Id: m.Groups["id"].Value, Reason: m.Groups["reason"].Value)).ToList();
        Assert.True(held.Count == 2, list);
        Assert.Equal([(control, CertificateCases.Recipient)], hub.Sink.Delivered);
        await hub.Postern.WaitForLogAsync(l => l.Contains(": quarantine=sender under review", StringComparison.Ordinal));
        await hub.Postern.WaitForLogAsync(l => l.Contains(": quarantine=recipient under review", StringComparison.Ordinal));

        foreach (var (id, reason) in held)
        {
            var (code, released) = await Binary.RunAsync("queue", "release", id, "--config", hub.Postern.ConfigPath!, "--data-dir", hub.Postern.DataDir);
            Assert.True(code == 0, released);
            Assert.Contains(id + ": released", released, StringComparison.Ordinal);
            Assert.True(reason is "sender under review" or "recipient under review", list);
            if (reason == "sender under review")
            {
                await hub.WaitForSinkAsync(bySender, CertificateCases.Recipient, list + "\n" + released);
            }
            else
            {
                await hub.WaitForSinkAsync(byRecipient, "review@remote.test", list + "\n" + released);
            }
        }
        Assert.Equal(3, hub.Sink.Delivered.Count);
    }

    private static async Task<CertificateHub> StartAsync(TestPki pki, string entries)
    {
        var (code, entry) = await Binary.RunAsync("cert", "access-entry", pki["client.pem"]);
        Assert.True(code == 0, entry);
        return await CertificateHub.StartWithMapAsync(pki, entry + entries);
    }

    /// <summary>Polls <c>postern queue list</c> (bounded) until <paramref name="done"/> holds for its output.</summary>
    private static async Task<string> WaitForQueueAsync(CertificateHub hub, Func<string, bool> done)
    {
        var list = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            int code;
            (code, list) = await Binary.RunAsync("queue", "list", "--config", hub.Postern.ConfigPath!, "--data-dir", hub.Postern.DataDir);
            Assert.True(code == 0, list);
            if (done(list))
            {
                return list;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the queue never got there:\n" + list + "\npostern log:\n" + hub.Postern.Log);
    }

    [GeneratedRegex(@"^(?<id>[0-9A-Za-z]{16})!\s.*\n\s+\(quarantine: (?<reason>[a-z ]+) ", RegexOptions.Multiline)]
    private static partial Regex HeldEntry();
}
