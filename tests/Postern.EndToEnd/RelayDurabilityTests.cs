using System.Globalization;
using Xunit.Abstractions;

namespace Postern.EndToEnd;

/// <summary>
/// kill -9 while relaying to a slow next hop: after a restart on the same data directory every
/// recipient of every acknowledged message reaches the next hop at least once (a message whose
/// 250 the dead process never read may come twice: that is SMTP's at-least-once) and the spool
/// ends empty.
/// </summary>
public sealed class RelayDurabilityTests(ITestOutputHelper output)
{
    private const int Messages = 20;
    private static readonly string[] Recipients = ["one@a.example", "two@a.example", "three@b.example"];

    [Fact]
    public async Task Every_recipient_reaches_the_smart_host_after_kill_9_in_the_middle_of_relaying()
    {
        await using var sink = new SmtpSink(SinkOptions.PlainNextHop) { DataDelay = TimeSpan.FromMilliseconds(400) };
        var dataDir = PosternProcess.NewDataDir();
        PosternProcess? server = null;
        try
        {
            server = await PosternProcess.StartAsync(LaptopConfig.Plain(sink.Port), dataDir, listeners: 1);
            var tokens = await SendAsync(server);
            var expected = tokens.SelectMany(t => Recipients.Select(r => (t, r))).ToHashSet();

            // Kill once the slow sink has accepted a few messages and is holding at least one DATA.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!(sink.Delivered.Count >= 3 && sink.InData >= 1))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the sink never got mid-DATA; delivered {sink.Delivered.Count}; log:\n{server.Log}");
                await Task.Delay(10);
            }
            sink.Freeze();
            server.Kill();
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)), "postern did not die on SIGKILL");
            await server.DisposeAsync();
            server = null;
            var beforeKill = sink.Delivered.ToHashSet().Count;
            Assert.True(beforeKill < expected.Count, "every recipient was delivered before the kill: nothing was interrupted");

            sink.DataDelay = TimeSpan.Zero;
            sink.Thaw();
            server = await PosternProcess.StartAsync(LaptopConfig.Plain(sink.Port), dataDir, listeners: 1);

            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            while (!expected.IsSubsetOf(sink.Delivered) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            var delivered = sink.Delivered;
            var missing = expected.Except(delivered).ToList();
            output.WriteLine($"recipients: {expected.Count}; delivered before kill -9: {beforeKill}; copies in all: {delivered.Count}; duplicates: {delivered.Count - delivered.Distinct().Count()}");
            Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} recipients never delivered, e.g. {missing.FirstOrDefault()}; log after restart:\n{server.Log}");
            Assert.DoesNotContain(delivered, d => !expected.Contains(d));

            await WaitForEmptyQueueAsync(server);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>One session, <see cref="Messages"/> transactions, each acknowledged with 250; returns their tokens.</summary>
    private static async Task<List<string>> SendAsync(PosternProcess server)
    {
        var tokens = new List<string>();
        await using var client = await RawSmtpClient.ConnectAsync(server.Mta);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"), StringComparison.Ordinal);
        for (var n = 0; n < Messages; n++)
        {
            var token = "relay-durable-" + n.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<joe@laptop.test>"), StringComparison.Ordinal);
            foreach (var recipient in Recipients)
            {
                Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"), StringComparison.Ordinal);
            }
            Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
            var reply = await client.CommandAsync($"Subject: {token}\r\nX-Token: {token}\r\n\r\n{new string('x', 2000)}\r\n.");
            Assert.StartsWith("250", reply, StringComparison.Ordinal);
            tokens.Add(token);
        }
        Assert.StartsWith("221", await client.CommandAsync("QUIT"), StringComparison.Ordinal);
        return tokens;
    }

    /// <summary>Delivered recipients are journaled just after the next hop's 250: poll `postern queue list` until empty.</summary>
    private static async Task WaitForEmptyQueueAsync(PosternProcess server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (code, list) = await Binary.RunAsync("queue", "list", "--config", server.ConfigPath!, "--data-dir", server.DataDir);
            Assert.True(code == 0, list);
            if (list.Trim() == "Mail queue is empty")
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the queue is not empty after every recipient was delivered:\n" + list + "\nlog:\n" + server.Log);
            await Task.Delay(200);
        }
    }
}
