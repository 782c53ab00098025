namespace Postern.EndToEnd;

/// <summary>The sendmail, mailq and newaliases personalities of the real binary, with and without a running daemon.</summary>
public sealed class SendmailCommandTests
{
    private static string Config(string extra = "") => PosternProcess.Config("""
        aliases = "aliases"

        [delivery]
        smarthost = "[smarthost.example.net]:587"
        """ + extra);

    private static async Task<(string DataDir, string ConfigPath)> PrepareAsync(string aliases = "postmaster: alice\nteam: alice, bob\n")
    {
        var dataDir = PosternProcess.NewDataDir();
        var configPath = Path.Combine(dataDir, "postern.toml");
        await File.WriteAllTextAsync(configPath, Config());
        await File.WriteAllTextAsync(Path.Combine(dataDir, "aliases"), aliases);
        return (dataDir, configPath);
    }

    [Fact]
    public async Task Sendmail_t_with_a_running_daemon_is_delivered_at_once()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            await using var server = await PosternProcess.StartAsync(null, dataDir);
            using var links = new SendmailLinks(configPath, dataDir);
            var token = Guid.NewGuid().ToString("N");

            var result = await links.RunAsync("sendmail", $"To: team\nBcc: user@localhost\nSubject: {token}\n\npiped body\n", "-t");

            Assert.True(result.Code == 0, SendmailLinks.Describe(result));
            var alice = await server.WaitForMailAsync("alice", token);
            await server.WaitForMailAsync("bob", token);
            var user = await server.WaitForMailAsync("user", token);
            Assert.Contains("Received: from userid ", alice, StringComparison.Ordinal);
            Assert.Contains("(Postern) id ", alice, StringComparison.Ordinal);
            Assert.Contains("\nMessage-ID: <", alice, StringComparison.Ordinal);
            Assert.Contains("\nFrom: ", alice, StringComparison.Ordinal);
            Assert.DoesNotContain("Bcc:", user, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("piped body", alice, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Without_a_daemon_the_message_is_queued_and_delivered_when_it_starts()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            var token = Guid.NewGuid().ToString("N");

            var sent = await links.RunAsync("sendmail", $"Subject: {token}\n\nqueued body\n.\nafter the dot\n", "-f", "alice@localhost", "bob");
            Assert.True(sent.Code == 0, SendmailLinks.Describe(sent));
            var mailq = await links.RunAsync("mailq", "");
            Assert.True(mailq.Code == 0, SendmailLinks.Describe(mailq));
            Assert.Contains("<alice@localhost>", mailq.Output, StringComparison.Ordinal);
            Assert.Contains("<bob@localhost>  (pending)", mailq.Output, StringComparison.Ordinal);
            Assert.Contains("Total requests: 1", mailq.Output, StringComparison.Ordinal);
            var bp = await links.RunAsync("sendmail", "", "-bp");
            Assert.Equal(mailq.Output, bp.Output);
            var flush = await links.RunAsync("sendmail", "", "-q");
            Assert.Equal(75, flush.Code);

            await using var server = await PosternProcess.StartAsync(null, dataDir);
            var mail = await server.WaitForMailAsync("bob", token);
            Assert.Contains("queued body", mail, StringComparison.Ordinal);
            Assert.DoesNotContain("after the dot", mail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Bs_runs_an_smtp_dialogue_on_stdin_and_stdout_as_a_trusted_local_client()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            var token = Guid.NewGuid().ToString("N");
            var dialogue = "EHLO client.example\r\nMAIL FROM:<alice@localhost>\r\nRCPT TO:<someone@far.example>\r\n"
                + "RCPT TO:<a%b@far.example>\r\nRCPT TO:<nobody@localhost>\r\nRCPT TO:<bob@localhost>\r\nDATA\r\n"
                + $"Subject: {token}\r\n\r\nvia -bs\r\n.\r\nQUIT\r\n";

            var result = await links.RunAsync("sendmail", dialogue, "-bs");

            Assert.True(result.Code == 0, SendmailLinks.Describe(result));
            var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
            Assert.StartsWith("220 localhost ESMTP Postern", lines[0], StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.Contains("STARTTLS", StringComparison.Ordinal) || l.Contains("AUTH", StringComparison.Ordinal));
            // A remote recipient is accepted from a local user (no relay restriction), the tricks are not.
            Assert.Contains("250 2.1.5 Ok", lines);
            Assert.Contains(lines, l => l.StartsWith("550 5.7.1 <a%b@far.example>", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("550 5.1.1 <nobody@localhost>: User unknown", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("250 2.0.0 Ok: queued as ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("221 ", StringComparison.Ordinal));

            var mailq = await links.RunAsync("mailq", "");
            Assert.Contains("<someone@far.example>", mailq.Output, StringComparison.Ordinal);
            Assert.Contains("<bob@localhost>", mailq.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Bv_shows_where_addresses_go_and_d01_shows_the_features()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);

            var ok = await links.RunAsync("sendmail", "", "-bv", "alice@localhost", "team", "x@example.com");
            Assert.True(ok.Code == 0, SendmailLinks.Describe(ok));
            var lines = ok.Output.ReplaceLineEndings("\n").Trim().Split('\n');
            Assert.Equal(
                [
                    "alice@localhost... deliverable: mailer local, user alice",
                    "team@localhost... aliased to alice: deliverable: mailer local, user alice",
                    "team@localhost... aliased to bob: deliverable: mailer local, user bob",
                    "x@example.com... deliverable: mailer esmtp, host [smarthost.example.net]:587, user x@example.com (smarthost)",
                ],
                lines);

            var unknown = await links.RunAsync("sendmail", "", "-bv", "nobody@localhost", "a!b@far.example");
            Assert.Equal(67, unknown.Code);
            Assert.Contains("nobody@localhost... User unknown", unknown.Output, StringComparison.Ordinal);
            Assert.Contains("a!b@far.example... '%', '!' or '@' in the local part never route mail", unknown.Output, StringComparison.Ordinal);

            // The seed's check: sendmail -d0.1 -bv | grep -o STARTTLS
            var version = await links.RunAsync("sendmail", "", "-d0.1", "-bv");
            Assert.True(version.Code == 0, SendmailLinks.Describe(version));
            var (_, features) = await Binary.RunAsync("version", "--features");
            Assert.Equal(features.Trim(), version.Output.Trim());
            Assert.Contains(" STARTTLS ", version.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Bt_prints_the_route_and_the_relay_decision()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);

            var result = await links.RunAsync("sendmail", "x@example.com\n/auth alice\nx@example.com\n/quit\n", "-bt");

            Assert.True(result.Code == 0, SendmailLinks.Describe(result));
            Assert.Contains("ADDRESS TEST MODE", result.Output, StringComparison.Ordinal);
            Assert.Contains("route: x@example.com... deliverable: mailer esmtp, host [smarthost.example.net]:587", result.Output, StringComparison.Ordinal);
            Assert.Contains("local submission (sendmail): accepted", result.Output, StringComparison.Ordinal);
            Assert.Contains("=> REJECT 550 5.7.1 <x@example.com>: Relaying denied", result.Output, StringComparison.Ordinal);
            Assert.Contains("permit_sasl_authenticated  PERMIT", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Newaliases_reports_counts_and_names_the_line_of_an_error()
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);
            var aliasesPath = Path.Combine(dataDir, "aliases");

            var ok = await links.RunAsync("newaliases", "");
            Assert.True(ok.Code == 0, SendmailLinks.Describe(ok));
            Assert.Equal($"{aliasesPath}: 2 aliases, longest 9 bytes, 28 bytes total", ok.Output.Trim());
            Assert.Equal(ok.Output, (await links.RunAsync("sendmail", "", "-bi")).Output);

            await File.WriteAllTextAsync(aliasesPath, "postmaster: alice\nbroken line without colon\n");
            var bad = await links.RunAsync("newaliases", "");
            Assert.Equal(78, bad.Code);
            Assert.Contains(aliasesPath + ":2", bad.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("-Q")]
    [InlineData("-bh")]
    [InlineData("-X", "/tmp/traffic")]
    public async Task Unknown_options_exit_64(params string[] arguments)
    {
        var (dataDir, configPath) = await PrepareAsync();
        try
        {
            using var links = new SendmailLinks(configPath, dataDir);

            var result = await links.RunAsync("sendmail", "", arguments);

            Assert.Equal(64, result.Code);
            Assert.StartsWith("sendmail: ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Postern_sendmail_is_the_same_personality()
    {
        var (code, output) = await Binary.RunAsync("sendmail", "-d0.1", "-bv");

        Assert.True(code == 0, output);
        Assert.Contains("Compiled with: ", output, StringComparison.Ordinal);
    }
}
