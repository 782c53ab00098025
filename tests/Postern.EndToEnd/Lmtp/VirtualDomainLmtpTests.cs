using System.Globalization;
using Postern.EndToEnd.Fixtures.Dovecot;

namespace Postern.EndToEnd.Lmtp;

/// <summary>
/// A virtual mailbox domain delivered into a real Dovecot over LMTP on TCP
/// (<c>virtual.transport = "lmtp:[127.0.0.1]:PORT"</c>): each recipient goes as the mailbox the
/// map names; an address the map does not list is refused at RCPT, never bounced later.
/// </summary>
public sealed class VirtualDomainLmtpTests
{
    [Fact]
    public async Task Mapped_mailboxes_are_delivered_into_Dovecot_and_unknown_addresses_refused_at_RCPT()
    {
        await using var dovecot = await DovecotServer.StartAsync("bob@virt.test", "carol@virt.test");
        var dataDir = PosternProcess.NewDataDir();
        var map = Path.Combine(dataDir, "virtual_mailboxes");
        // sales@ is an address whose mailbox is carol's.
        await File.WriteAllTextAsync(map, "bob@virt.test bob@virt.test\nsales@virt.test carol@virt.test\n");
        var config = PosternConfig.Host("mx.test")
            .WithListener("mta", "mta")
            .WithLocal(["mx.test"], ["postmaster"])
            .ToToml()
            + $"[virtual]\ndomains = [\"virt.test\"]\nmailboxes = \"{map}\"\ntransport = \"{dovecot.TcpTransport}\"\n";
        var server = await PosternProcess.StartAsync(config, dataDir, listeners: 1);
        try
        {
            var token = "lmtp-virtual-" + Guid.NewGuid().ToString("N");
            var script = $$"""
                import smtplib
                s = smtplib.SMTP("127.0.0.1", {{server.Mta.Port.ToString(CultureInfo.InvariantCulture)}}, local_hostname="client.test", timeout=30)
                s.ehlo()
                assert s.mail("sender@client.test")[0] == 250
                code, text = s.rcpt("nobody@virt.test")
                assert code == 550 and b"5.1.1" in text, (code, text)
                assert s.rcpt("bob@virt.test")[0] == 250
                assert s.rcpt("sales@virt.test")[0] == 250
                code, text = s.data("Subject: {{token}}\r\nMessage-ID: <{{token}}@client.test>\r\n\r\nto a virtual domain\r\n")
                assert code == 250, (code, text)
                s.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
            Assert.True(code == 0, output);

            await dovecot.WaitForMessageAsync("bob@virt.test", token);
            await dovecot.WaitForMessageAsync("carol@virt.test", token);
            var sent = await server.WaitForLogAsync(l => l.Contains("to=<sales@virt.test>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
            Assert.Contains("mailer=lmtp", sent, StringComparison.Ordinal);
            Assert.Contains($"relay=[127.0.0.1]:{dovecot.Port}", sent, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Log.Split('\n'), l => l.Contains("nobody@virt.test", StringComparison.Ordinal) && l.Contains("stat=", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }
}
