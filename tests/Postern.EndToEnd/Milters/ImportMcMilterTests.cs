using System.Globalization;
using System.Text;

namespace Postern.EndToEnd.Milters;

/// <summary>
/// The "done when": an administrator's sendmail.mc with INPUT_MAIL_FILTER lines for
/// OpenDKIM and OpenDMARC goes through <c>postern config import-mc</c>, Postern starts on the
/// result unchanged, and the milters work as under sendmail: OpenDKIM signs what the relay host
/// sends (its InternalHosts is the loopback address, as on a relay for its local network) and
/// OpenDMARC writes its results.
/// </summary>
public sealed class ImportMcMilterTests
{
    [Fact]
    public async Task A_sendmail_mc_with_input_mail_filters_imports_and_its_milters_sign_and_judge()
    {
        var peers = new MilterPeers();
        var dkimStart = peers.Add(OpenDkim.StartAsync(internalHosts: "127.0.0.1"));
        var dmarcStart = peers.Add(OpenDmarc.StartAsync());
        await peers.ReadyAsync();
        await using var dkim = await dkimStart;
        await using var dmarc = await dmarcStart;
        await using var sink = new SmtpSink(SinkOptions.PlainNextHop);
        var dataDir = PosternProcess.NewDataDir();
        PosternProcess? postern = null;
        try
        {
            var port = ForegroundDaemon.FreePort();
            var mc = Path.Combine(dataDir, "sendmail.mc");
            await File.WriteAllTextAsync(mc, $$"""
                divert(-1)dnl
                define(`confDOMAIN_NAME', `relay.example.test')dnl
                FEATURE(`no_default_msa')dnl
                FEATURE(`access_db')dnl
                define(`SMART_HOST', `[127.0.0.1]:{{sink.Port.ToString(CultureInfo.InvariantCulture)}}')dnl
                DAEMON_OPTIONS(`Port={{port.ToString(CultureInfo.InvariantCulture)}}, Addr=127.0.0.1, Name=MTA')dnl
                INPUT_MAIL_FILTER(`opendkim', `S={{dkim.Daemon.SendmailSocket}}, F=T, T=C:10s;S:30s;R:30s;E:5m')dnl
                INPUT_MAIL_FILTER(`opendmarc', `S={{dmarc.Daemon.SendmailSocket}}, F=T')dnl
                define(`confMILTER_MACROS_CONNECT', `j, _, {daemon_name}, {if_name}, {if_addr}, {client_addr}')dnl
                MAILER(`smtp')dnl

                """);
            var access = Path.Combine(dataDir, "access.src");
            await File.WriteAllTextAsync(access, "Connect:127.0.0.1\tRELAY\n");

            var (code, output) = await Binary.RunAsync("config", "import-mc", mc, "--access", access, "--out", dataDir, "--data-dir", dataDir);
            Assert.True(code == 0, output);
            Assert.DoesNotContain("not translated: INPUT_MAIL_FILTER", output, StringComparison.Ordinal);
            Assert.DoesNotContain("not translated: define(`confMILTER_MACROS_CONNECT'", output, StringComparison.Ordinal);
            var toml = await File.ReadAllTextAsync(Path.Combine(dataDir, "postern.toml"));
            Assert.Contains($"socket = \"{dkim.Daemon.SendmailSocket}\"", toml, StringComparison.Ordinal);
            Assert.Contains($"socket = \"{dmarc.Daemon.SendmailSocket}\"", toml, StringComparison.Ordinal);

            (code, output) = await Binary.RunAsync("config", "check", "--config", Path.Combine(dataDir, "postern.toml"), "--data-dir", dataDir);
            Assert.True(code == 0, output + "\n" + toml);

            postern = await PosternProcess.StartAsync(null, dataDir, listeners: 1);
            var token = "import-" + Guid.NewGuid().ToString("N")[..12];
            var sent = await new SmtpTransaction("joe@example.test", ["friend@sink.test"],
                $"From: Joe <joe@example.test>\nTo: friend@sink.test\nSubject: {token}\nMessage-ID: <{token}@example.test>\nX-Token: {token}\n\nsigned after the import\n")
                .RunAsync(postern.EndPoint("MTA").Port);
            Assert.True(sent.Contains("DATA 250 ", StringComparison.Ordinal), sent + "\n" + toml + "\n" + postern.Log);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            SinkMessage? relayed;
            while ((relayed = sink.Messages.FirstOrDefault(m => m.Token == token)) is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.True(relayed is not null, "the sink got nothing; postern log:\n" + postern.Log);
            var text = Encoding.UTF8.GetString(relayed.Data);
            Assert.Contains("d=example.test; s=e2e;", text, StringComparison.Ordinal);
            var (verified, check) = await DkimCheck.VerifyAsync(relayed.Data, new Dictionary<string, string> { [dkim.KeyRecordName] = dkim.KeyRecord });
            Assert.True(verified, check + "\n" + text);
            Assert.Contains("Authentication-Results: opendmarc.test; dmarc=", text, StringComparison.Ordinal);
        }
        finally
        {
            if (postern is not null)
            {
                await postern.DisposeAsync();
            }
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
