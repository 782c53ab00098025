using System.Globalization;
using Postern.EndToEnd.Fixtures.Dovecot;

namespace Postern.EndToEnd.Lmtp;

/// <summary>
/// Delivery into a real Dovecot over LMTP (a private instance per test, Fixtures/Dovecot): local
/// users through <c>local.transport</c> on its Unix socket and on TCP, the server's per-recipient
/// refusal turned into a bounce, and a Dovecot that is down deferring the mail until it is back.
/// </summary>
public sealed class LmtpDeliveryTests
{
    private static string Config(string transport, string users = "\"alice\", \"bob\"", string extra = "") =>
        PosternConfig.Host("localhost")
            .WithListener("mta", "mta")
            .ToToml()
            + $"[local]\ndomains = [\"localhost\"]\nusers = [{users}]\ntransport = \"{transport}\"\n{extra}"
            + "[queue]\nretry_schedule = [\"1s\"]\n";

    private static async Task SendAsync(PosternProcess server, string sender, string[] recipients, string token)
    {
        var list = string.Join(", ", recipients.Select(r => "\"" + r + "\""));
        var script = $$"""
            import smtplib
            s = smtplib.SMTP("127.0.0.1", {{server.Mta.Port.ToString(CultureInfo.InvariantCulture)}}, local_hostname="client.test", timeout=30)
            refused = s.sendmail("{{sender}}", [{{list}}], "Subject: {{token}}\r\nMessage-ID: <{{token}}@client.test>\r\n\r\nover LMTP\r\n")
            assert refused == {}, refused
            s.quit()
            """;
        var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
        Assert.True(code == 0, output);
    }

    private static async Task StopAsync(PosternProcess server)
    {
        await server.DisposeAsync();
        Directory.Delete(server.DataDir, recursive: true);
    }

    [Fact]
    public async Task Local_users_are_delivered_into_Dovecot_over_its_unix_socket_after_alias_expansion()
    {
        await using var dovecot = await DovecotServer.StartAsync("alice@localhost", "bob@localhost");
        var dataDir = PosternProcess.NewDataDir();
        var aliases = Path.Combine(dataDir, "aliases");
        await File.WriteAllTextAsync(aliases, "team: alice, bob\n");
        var server = await PosternProcess.StartAsync(Config(dovecot.UnixTransport, extra: $"aliases = \"{aliases}\"\n"), dataDir, listeners: 1);
        try
        {
            var token = "lmtp-unix-" + Guid.NewGuid().ToString("N");
            await SendAsync(server, "sender@client.test", ["alice@localhost", "team@localhost"], token);

            var alice = await dovecot.WaitForMessageAsync("alice@localhost", token);
            await dovecot.WaitForMessageAsync("bob@localhost", token);
            Assert.Contains("over LMTP", alice, StringComparison.Ordinal);
            // Dovecot adds Return-Path and Delivered-To itself; Postern's Received is there.
            Assert.Contains("Return-Path: <sender@client.test>", alice, StringComparison.Ordinal);
            Assert.Contains("by localhost (Postern)", alice, StringComparison.Ordinal);
            // alice was named twice (directly and through team): one copy.
            Assert.Single(dovecot.Messages("alice@localhost"), m => m.Contains(token, StringComparison.Ordinal));
            await server.WaitForLogAsync(l => l.Contains("to=<team@localhost>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
            Assert.False(Directory.Exists(Path.Combine(server.DataDir, "mailboxes", "alice")));
        }
        finally
        {
            await StopAsync(server);
        }
    }

    [Fact]
    public async Task A_user_Dovecot_does_not_know_is_bounced_with_its_reply()
    {
        await using var dovecot = await DovecotServer.StartAsync("alice@localhost");
        var server = await PosternProcess.StartAsync(Config(dovecot.TcpTransport, users: "\"alice\", \"carol\""), listeners: 1);
        try
        {
            var token = "lmtp-bounce-" + Guid.NewGuid().ToString("N");
            await SendAsync(server, "alice@localhost", ["carol@localhost"], token);

            // The bounce goes to the sender, a local user: into Dovecot as well.
            var bounce = await dovecot.WaitForMessageAsync("alice@localhost", "carol@localhost");
            Assert.Contains("Status: 5.1.1", bounce, StringComparison.Ordinal);
            Assert.Contains("Return-Path: <>", bounce, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(server);
        }
    }

    [Fact]
    public async Task Mail_waits_in_the_queue_while_Dovecot_is_down_and_is_delivered_once_when_it_is_back()
    {
        await using var dovecot = await DovecotServer.StartAsync("alice@localhost");
        var server = await PosternProcess.StartAsync(Config(dovecot.TcpTransport), listeners: 1);
        try
        {
            await dovecot.StopAsync();
            var token = "lmtp-down-" + Guid.NewGuid().ToString("N");
            await SendAsync(server, "sender@client.test", ["alice@localhost"], token);

            var deferred = await server.WaitForLogAsync(l => l.Contains("to=<alice@localhost>", StringComparison.Ordinal) && l.Contains("stat=Deferred", StringComparison.Ordinal));
            Assert.Contains($"[127.0.0.1]:{dovecot.Port}", deferred, StringComparison.Ordinal);
            Assert.Empty(dovecot.Messages("alice@localhost"));

            await dovecot.StartAsync();
            await dovecot.WaitForMessageAsync("alice@localhost", token);
            await server.WaitForLogAsync(l => l.Contains("to=<alice@localhost>", StringComparison.Ordinal) && l.Contains("stat=Sent", StringComparison.Ordinal));
            Assert.Single(dovecot.Messages("alice@localhost"), m => m.Contains(token, StringComparison.Ordinal));
        }
        finally
        {
            await StopAsync(server);
        }
    }
}
