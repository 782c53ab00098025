using System.Text.RegularExpressions;

namespace Postern.EndToEnd;

/// <summary>`postern queue list` and `show` read the spool of a running server whose local delivery defers.</summary>
public sealed partial class QueueCommandTests
{
    [Fact]
    public async Task List_and_show_a_deferred_message_and_refuse_unknown_ids()
    {
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            // mailbox_root is a file, so no Maildir can be made there: delivery defers and the message stays queued.
            await File.WriteAllTextAsync(Path.Combine(dataDir, "blocked"), "not a directory\n");
            var config = PosternConfig.Host("localhost")
                .WithListener("mta", "mta")
                .WithLocal(["localhost"], ["bob"], extra: "mailbox_root = \"blocked\"")
                .ToToml();
            await using var server = await PosternProcess.StartAsync(config, dataDir, listeners: 1);
            var configPath = server.ConfigPath!;

            var script = $$"""
                import smtplib
                s = smtplib.SMTP("{{server.Mta.Address}}", {{server.Mta.Port}}, timeout=30)
                s.sendmail("sender@example.org", ["bob@localhost"], "Subject: queued-for-later\r\nFrom: sender@example.org\r\n\r\nbody text\r\n")
                s.quit()
                """;
            var (code, output) = await ExternalCommand.RunAsync("python3", "-c", script);
            Assert.True(code == 0, output);
            var deferred = await server.WaitForLogAsync(l => l.Contains("to=<bob@localhost>", StringComparison.Ordinal) && l.Contains("stat=Deferred", StringComparison.Ordinal));
            var id = QueueIdInLog().Match(deferred).Groups["id"].Value;
            Assert.Equal(16, id.Length);

            // The deferral is journaled right after it is logged: poll, bounded, until the list shows it.
            var (listCode, list) = (0, "");
            for (var attempt = 0; attempt < 50 && !list.Contains("(deferred: ", StringComparison.Ordinal); attempt++)
            {
                (listCode, list) = await Binary.RunAsync("queue", "list", "--config", configPath, "--data-dir", dataDir);
                await Task.Delay(100);
            }
            Assert.True(listCode == 0, list);
            var lines = list.ReplaceLineEndings("\n").Split('\n');
            Assert.StartsWith("-Queue ID-------- --Size--", lines[0], StringComparison.Ordinal);
            Assert.Matches($@"^{id}\s+\d+ \w{{3}} \w{{3}} \d\d \d\d:\d\d <sender@example\.org>$", lines[1]);
            Assert.Matches(@"^ {44}\(next attempt \w{3} \w{3} \d\d \d\d:\d\d, attempts: 1\)$", lines[2]);
            Assert.StartsWith(new string(' ', 44) + "<bob@localhost>  (deferred: 451 4.3.0 ", lines[3], StringComparison.Ordinal);
            Assert.Equal("                Total requests: 1", lines[4]);

            var (showCode, show) = await Binary.RunAsync("queue", "show", id, "--config", configPath, "--data-dir", dataDir);
            Assert.True(showCode == 0, show);
            Assert.Contains("Queue ID:   " + id, show, StringComparison.Ordinal);
            Assert.Contains("Sender:     <sender@example.org>", show, StringComparison.Ordinal);
            Assert.Contains("<bob@localhost>  deferred", show, StringComparison.Ordinal);
            Assert.Contains("last reply: 451 4.3.0 ", show, StringComparison.Ordinal);
            Assert.Contains("Subject: queued-for-later", show, StringComparison.Ordinal);
            Assert.Contains("Received: from ", show, StringComparison.Ordinal);
            Assert.DoesNotContain("body text", show, StringComparison.Ordinal);

            var (unknownCode, unknown) = await Binary.RunAsync("queue", "show", "ZZZZZZZZZZZZZZZZ", "--config", configPath, "--data-dir", dataDir);
            Assert.Equal(67, unknownCode);
            Assert.Contains("postern: queue: no message ZZZZZZZZZZZZZZZZ in the queue", unknown, StringComparison.Ordinal);

            var (badCode, _) = await Binary.RunAsync("queue", "show", "../../etc/passwd", "--config", configPath, "--data-dir", dataDir);
            Assert.Equal(64, badCode);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task List_of_a_fresh_data_directory_is_empty_and_creates_nothing()
    {
        var dataDir = PosternProcess.NewDataDir();
        try
        {
            var (code, output) = await Binary.RunAsync("queue", "list", "--data-dir", dataDir);

            Assert.True(code == 0, output);
            Assert.Equal("Mail queue is empty", output.Trim());
            Assert.Empty(Directory.EnumerateFileSystemEntries(dataDir));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [GeneratedRegex(@"(?<id>[0-9A-Za-z]{16}): to=<bob@localhost>")]
    private static partial Regex QueueIdInLog();
}
