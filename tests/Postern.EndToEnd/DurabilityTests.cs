using System.Collections.Concurrent;
using System.Net;
using Xunit.Abstractions;

namespace Postern.EndToEnd;

/// <summary>kill -9 under load: every message that got 250 is delivered after restart, none twice.</summary>
public sealed class DurabilityTests(ITestOutputHelper output)
{
    private const int Messages = 2000;
    private const int Sessions = 8;
    private const int KillAfterAcks = 700;

    [Fact]
    public async Task Every_acknowledged_message_survives_kill_9_and_is_delivered_once()
    {
        var dataDir = PosternProcess.NewDataDir();
        var acknowledged = new ConcurrentBag<string>();
        var server = await PosternProcess.StartAsync(dataDir: dataDir);
        try
        {
            var next = -1;
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var senders = Enumerable.Range(0, Sessions).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await SendUntilStoppedAsync(server.Mta, () => Interlocked.Increment(ref next), token =>
                    {
                        acknowledged.Add(token);
                        if (acknowledged.Count >= KillAfterAcks && killed.TrySetResult())
                        {
                            server.Kill();
                        }
                    });
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    // The server died under us: expected once it is killed.
                }
            })).ToArray();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(killed.Task.IsCompleted, $"only {acknowledged.Count} messages acknowledged before the load ended");
            Assert.True(acknowledged.Count < Messages, "the kill did not interrupt the load");
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            await server.DisposeAsync();

            server = await PosternProcess.StartAsync(dataDir: dataDir);
            var expected = acknowledged.ToHashSet();
            var counts = await WaitForDeliveriesAsync(server, expected, TimeSpan.FromMinutes(2));
            output.WriteLine($"acknowledged before kill -9: {expected.Count}; distinct delivered after restart: {counts.Count}; copies: {counts.Values.Sum()}");
            var missing = expected.Where(t => !counts.ContainsKey(t)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} acknowledged messages lost, e.g. {missing.FirstOrDefault()}");
            var twice = counts.Where(c => c.Value > 1).Select(c => c.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} messages delivered more than once, e.g. {twice.FirstOrDefault()}");
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>One session sending messages (new token each) until the budget is spent or the server dies.</summary>
    private static async Task SendUntilStoppedAsync(IPEndPoint endPoint, Func<int> take, Action<string> onAcknowledged)
    {
        await using var client = await RawSmtpClient.ConnectAsync(endPoint);
        if (await client.ReadReplyAsync() is null || !(await client.CommandAsync("EHLO load.test")).StartsWith("250", StringComparison.Ordinal))
        {
            return;
        }
        for (var n = take(); n < Messages; n = take())
        {
            var token = "durable-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
            await client.SendAsync($"MAIL FROM:<load@example.org>\r\nRCPT TO:<user@localhost>\r\nDATA\r\n");
            if (await client.ReadReplyAsync() is not { } mail || !mail.StartsWith("250", StringComparison.Ordinal)
                || await client.ReadReplyAsync() is not { } rcpt || !rcpt.StartsWith("250", StringComparison.Ordinal)
                || await client.ReadReplyAsync() is not { } data || !data.StartsWith("354", StringComparison.Ordinal))
            {
                return;
            }
            await client.SendAsync($"Subject: {token}\r\nX-Token: {token}\r\n\r\n{new string('x', 3000)}\r\n.\r\n");
            var reply = await client.ReadReplyAsync();
            if (reply is null || !reply.StartsWith("250", StringComparison.Ordinal))
            {
                return;
            }
            onAcknowledged(token);
        }
        await client.CommandAsync("QUIT");
    }

    /// <summary>Counts delivered copies per token until every expected token is there or time is up.</summary>
    private static async Task<Dictionary<string, int>> WaitForDeliveriesAsync(PosternProcess server, HashSet<string> expected, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var counts = new Dictionary<string, int>();
            var dir = server.MaildirNew("user");
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (line.StartsWith("X-Token: ", StringComparison.Ordinal))
                    {
                        var token = line["X-Token: ".Length..];
                        counts[token] = counts.GetValueOrDefault(token) + 1;
                        break;
                    }
                }
            }
            if (expected.All(counts.ContainsKey) || DateTime.UtcNow > deadline)
            {
                return counts;
            }
            await Task.Delay(200);
        }
    }
}
