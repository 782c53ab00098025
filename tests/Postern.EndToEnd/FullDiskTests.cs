using System.Globalization;
using Xunit.Abstractions;

namespace Postern.EndToEnd;

/// <summary>
/// A real full filesystem (a small tmpfs, see <see cref="Tmpfs"/>): a full spool answers
/// 452 4.3.1 and leaves no broken file behind; a full mailbox filesystem keeps the message queued.
/// Once space returns, every acknowledged message is delivered exactly once.
/// </summary>
public sealed class FullDiskTests(ITestOutputHelper output)
{
    private const string Local = "user@localhost";
    private const string Remote = "one@relay.example";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_spool_answers_452_leaves_every_file_readable_and_delivers_each_acknowledged_message_once_space_returns()
    {
        // The next hop defers every recipient until opened: the relayed copies stay queued while the disk is full.
        var open = false;
        await using var sink = new SmtpSink(new SinkOptions { RcptReply = _ => Volatile.Read(ref open) ? null : "451 4.3.0 Not now" });
        await using var disk = await Tmpfs.MountAsync(8);
        var dataDir = Path.Combine(disk.Path, "data");
        Directory.CreateDirectory(dataDir);
        var config = PosternConfig.Host("localhost")
            .WithListener("mta", "mta")
            .WithLocal(["localhost"], ["user"])
            .WithSection("[policy]\nrelay_networks = [\"127.0.0.1/32\"]")
            .WithSection("[queue]\nretry_schedule = [\"1s\"]")
            .WithRoute("relay.example", sink.Port)
            .ToToml();
        var server = await PosternProcess.StartAsync(config, dataDir, listeners: 1);
        try
        {
            var acknowledged = new List<string>();
            await using (var client = await ConnectAsync(server))
            {
                for (var n = 0; n < 5; n++)
                {
                    var token = "before-" + n.ToString(CultureInfo.InvariantCulture);
                    Assert.StartsWith("250 ", await SendAsync(client, token, 4000), StringComparison.Ordinal);
                    acknowledged.Add(token);
                }
            }
            // The local copies are written, the relayed ones deferred: each message now has a journal.
            await WaitForLocalAsync(server, acknowledged);

            var filled = disk.Fill();
            output.WriteLine($"filler: {filled} bytes; free now: {disk.FreeBytes}");
            var refused = 0;
            await using (var client = await ConnectAsync(server))
            {
                for (var n = 0; n < 6; n++)
                {
                    var token = "full-" + n.ToString(CultureInfo.InvariantCulture);
                    var reply = await SendAsync(client, token, 20_000);
                    if (reply.StartsWith("250 ", StringComparison.Ordinal))
                    {
                        acknowledged.Add(token);
                        continue;
                    }
                    Assert.StartsWith("452 4.3.1 ", reply, StringComparison.Ordinal);
                    refused++;
                    // The refusal ends the transaction only: the session goes on.
                    Assert.StartsWith("250", await client.CommandAsync("RSET"), StringComparison.Ordinal);
                }
            }
            output.WriteLine($"sent on the full spool: 6; refused 452 4.3.1: {refused}");
            Assert.True(refused > 0, "no message was refused on a full spool");
            // Let the queue runner retry the deferred relays (and fail to journal them) a few times on the full disk.
            await Task.Delay(TimeSpan.FromSeconds(3));
            // Each failed retry is one line naming the condition, never a stack trace per retry.
            Assert.Contains(server.Log.Split('\n'), l => l.Contains("No space left on device", StringComparison.Ordinal));
            Assert.DoesNotContain(server.Log.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal));

            // No broken file: nothing unfinished in tmp/, nothing moved to corrupt/, every message listed.
            Assert.Empty(SpoolFiles(dataDir, "tmp", "*.msg"));
            Assert.Empty(SpoolFiles(dataDir, "corrupt", "*"));
            var (code, list) = await Binary.RunAsync("queue", "list", "--config", server.ConfigPath!, "--data-dir", dataDir);
            Assert.True(code == 0, list);
            Assert.Contains("Total requests: " + acknowledged.Count.ToString(CultureInfo.InvariantCulture), list, StringComparison.Ordinal);

            // A restart while still full: recovery reads every spool file and sets none aside.
            await server.DisposeAsync();
            server = await PosternProcess.StartAsync(null, dataDir, listeners: 1);
            // It keeps running without its PID file (one warning line, no stack trace), and takes mail again once space returns.
            var warning = await server.WaitForLogAsync(l => l.Contains("cannot write the PID file", StringComparison.Ordinal), Wait);
            Assert.Contains("No space left on device", warning, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(server.HasExited, "postern exited on the full disk:\n" + server.Log);
            Assert.DoesNotContain(server.Log.Split('\n'), l => l.Contains("PidFile", StringComparison.Ordinal));
            Assert.Empty(SpoolFiles(dataDir, "corrupt", "*"));

            disk.Free();
            Volatile.Write(ref open, true);
            await using (var client = await ConnectAsync(server))
            {
                Assert.StartsWith("250 ", await SendAsync(client, "after", 20_000), StringComparison.Ordinal);
                acknowledged.Add("after");
            }

            await WaitForLocalAsync(server, acknowledged);
            await WaitForEmptyQueueAsync(server);
            var local = LocalCopies(server);
            var relayed = sink.Delivered.Where(d => d.Recipient == Remote).GroupBy(d => d.Token).ToDictionary(g => g.Key, g => g.Count());
            foreach (var token in acknowledged)
            {
                Assert.True(local.GetValueOrDefault(token) == 1, $"{token}: {local.GetValueOrDefault(token)} local copies");
                Assert.True(relayed.GetValueOrDefault(token) == 1, $"{token}: {relayed.GetValueOrDefault(token)} relayed copies");
            }
            Assert.Empty(local.Keys.Except(acknowledged));
            Assert.Empty(relayed.Keys.Except(acknowledged));
            output.WriteLine($"acknowledged: {acknowledged.Count}; delivered once each, to the Maildir and to the next hop");
            Assert.Empty(SpoolFiles(dataDir, "corrupt", "*"));
        }
        finally
        {
            await server.DisposeAsync();
            output.WriteLine("log of the last postern:\n" + server.Log);
        }
    }

    [Fact]
    public async Task A_full_mailbox_filesystem_keeps_the_message_queued_until_space_returns()
    {
        await using var mailboxes = await Tmpfs.MountAsync(1);
        var dataDir = PosternProcess.NewDataDir();
        var config = PosternConfig.Host("localhost")
            .WithListener("mta", "mta")
            .WithLocal(["localhost"], ["user"], $"mailbox_root = \"{mailboxes.Path}\"")
            .WithSection("[queue]\nretry_schedule = [\"1s\"]")
            .ToToml();
        var server = await PosternProcess.StartAsync(config, dataDir, listeners: 1);
        try
        {
            mailboxes.Fill();
            var tokens = new[] { "queued-0", "queued-1", "queued-2" };
            await using (var client = await ConnectAsync(server))
            {
                foreach (var token in tokens)
                {
                    Assert.StartsWith("250 ", await SendAsync(client, token, 8000, Local), StringComparison.Ordinal);
                }
            }
            // Several attempts at one a second, each deferred: the messages stay queued, nothing half-written stays.
            await server.WaitForLogAsync(l => l.Contains("stat=Deferred", StringComparison.Ordinal), Wait);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var (code, list) = await Binary.RunAsync("queue", "list", "--config", server.ConfigPath!, "--data-dir", dataDir);
            Assert.True(code == 0, list);
            Assert.Contains("Total requests: 3", list, StringComparison.Ordinal);
            Assert.Contains("deferred: 4", list, StringComparison.Ordinal);
            Assert.Empty(LocalCopies(server, mailboxes.Path));
            Assert.Empty(Directory.GetFiles(Path.Combine(mailboxes.Path, "user", "tmp")));
            output.WriteLine(string.Join('\n', server.Log.Split('\n').Where(l => l.Contains("stat=Deferred", StringComparison.Ordinal)).Take(2)));

            mailboxes.Free();
            await WaitForLocalAsync(server, tokens, mailboxes.Path);
            await WaitForEmptyQueueAsync(server);
            var local = LocalCopies(server, mailboxes.Path);
            Assert.All(tokens, t => Assert.True(local.GetValueOrDefault(t) == 1, $"{t}: {local.GetValueOrDefault(t)} copies"));
            Assert.Equal(tokens.Length, local.Count);
            Assert.DoesNotContain(server.Log.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<RawSmtpClient> ConnectAsync(PosternProcess server)
    {
        var client = await RawSmtpClient.ConnectAsync(server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        return client;
    }

    /// <summary>One transaction to <paramref name="recipients"/> (default: a local user and a relayed one); the reply to the end of data.</summary>
    private static async Task<string> SendAsync(RawSmtpClient client, string token, int size, params string[] recipients)
    {
        recipients = recipients.Length > 0 ? recipients : [Local, Remote];
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<sender@client.test>"), StringComparison.Ordinal);
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"), StringComparison.Ordinal);
        }
        var data = await client.CommandAsync("DATA");
        if (!data.StartsWith("354", StringComparison.Ordinal))
        {
            // Refused before the data: the storage error came when the spool file was opened.
            return data;
        }
        var line = new string('x', 76) + "\r\n";
        var body = string.Concat(Enumerable.Repeat(line, Math.Max(1, size / line.Length)));
        return await client.CommandAsync($"Subject: {token}\r\nX-Token: {token}\r\n\r\n{body}.");
    }

    private static string[] SpoolFiles(string dataDir, string folder, string pattern)
    {
        var path = Path.Combine(dataDir, "spool", folder);
        return Directory.Exists(path) ? Directory.GetFiles(path, pattern) : [];
    }

    /// <summary>Token -> number of files in user's Maildir new/ carrying it.</summary>
    private static Dictionary<string, int> LocalCopies(PosternProcess server, string? mailboxRoot = null)
    {
        var dir = mailboxRoot is null ? server.MaildirNew("user") : Path.Combine(mailboxRoot, "user", "new");
        var counts = new Dictionary<string, int>();
        foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
        {
            var token = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("X-Token: ", StringComparison.Ordinal))?["X-Token: ".Length..];
            if (token is not null)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }
        return counts;
    }

    private static async Task WaitForLocalAsync(PosternProcess server, IEnumerable<string> tokens, string? mailboxRoot = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        var expected = tokens.ToList();
        while (!expected.All(LocalCopies(server, mailboxRoot).ContainsKey))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not every message reached the Maildir in {Wait.TotalSeconds} s; log:\n{server.Log}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForEmptyQueueAsync(PosternProcess server)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var (code, list) = await Binary.RunAsync("queue", "list", "--config", server.ConfigPath!, "--data-dir", server.DataDir);
            Assert.True(code == 0, list);
            if (list.Trim() == "Mail queue is empty")
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the queue did not empty:\n" + list + "\nlog:\n" + server.Log);
            await Task.Delay(200);
        }
    }
}
