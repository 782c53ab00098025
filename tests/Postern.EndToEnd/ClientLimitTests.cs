using System.Diagnostics;
using System.Net;

namespace Postern.EndToEnd;

/// <summary>
/// sendmail's per-client access entries through the real binary: ClientRate: (connections per
/// minute), ClientConn: (concurrent connections) and GreetPause: (the early talker is refused).
/// </summary>
public sealed class ClientLimitTests
{
    private static readonly IPAddress Rated = IPAddress.Parse("127.0.2.2");
    private static readonly IPAddress Counted = IPAddress.Parse("127.0.2.3");
    private static readonly IPAddress Paused = IPAddress.Parse("127.0.2.4");

    [Fact]
    public async Task ClientRate_ClientConn_and_GreetPause_entries_limit_their_clients()
    {
        var dataDir = PosternProcess.NewDataDir();
        await File.WriteAllTextAsync(Path.Combine(dataDir, "access"), "ClientRate:127.0.2.2\t2\nClientConn:127.0.2.3\t1\nGreetPause:127.0.2.4\t1500\n");
        var server = await PosternProcess.StartAsync(PosternProcess.Config("\n[policy]\naccess_map = \"access\"\n"), dataDir);
        try
        {
            // ClientRate: two connections a minute, the third is refused.
            for (var i = 0; i < 2; i++)
            {
                await using var allowed = await RawSmtpClient.ConnectAsync(server.Mta, Rated);
                Assert.StartsWith("220", await allowed.ReadReplyAsync(), StringComparison.Ordinal);
                Assert.StartsWith("221", await allowed.CommandAsync("QUIT"), StringComparison.Ordinal);
            }
            await using (var third = await RawSmtpClient.ConnectAsync(server.Mta, Rated))
            {
                Assert.Equal("421 4.3.2 Connection rate limit exceeded.", await third.ReadReplyAsync());
                Assert.Null(await third.ReadReplyAsync());
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.2.2], daemon=mta: connection rate 3 per minute exceeds 2 (ClientRate:127.0.2.2 2 at ", StringComparison.Ordinal));

            // ClientConn: one open session; a second at the same time is refused, and once the first is over it is taken.
            await using (var first = await RawSmtpClient.ConnectAsync(server.Mta, Counted))
            {
                Assert.StartsWith("220", await first.ReadReplyAsync(), StringComparison.Ordinal);
                await using var second = await RawSmtpClient.ConnectAsync(server.Msa, Counted);
                Assert.Equal("421 4.3.2 Too many open connections.", await second.ReadReplyAsync());
                Assert.StartsWith("221", await first.CommandAsync("QUIT"), StringComparison.Ordinal);
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.2.3], daemon=msa: more than 1 open connections (ClientConn:127.0.2.3 1 at ", StringComparison.Ordinal));
            await server.WaitForLogAsync(l => l.Contains("disconnect from [127.0.2.3]", StringComparison.Ordinal));
            await using (var later = await RawSmtpClient.ConnectAsync(server.Mta, Counted))
            {
                Assert.StartsWith("220", await later.ReadReplyAsync(), StringComparison.Ordinal);
            }

            // GreetPause: the early talker is refused; a client that waits is greeted after the pause.
            await using (var early = await RawSmtpClient.ConnectAsync(server.Mta, Paused))
            {
                await early.SendAsync("EHLO early.test\r\n");
                Assert.Equal("554 5.5.0 localhost ESMTP not accepting messages", await early.ReadReplyAsync());
                Assert.Null(await early.ReadReplyAsync());
            }
            await server.WaitForLogAsync(l => l.Contains("rejecting connection from [127.0.2.4], daemon=mta: pre-greeting traffic after ", StringComparison.Ordinal)
                && l.Contains("of a 1500 ms greet pause (GreetPause:127.0.2.4 1500 at ", StringComparison.Ordinal));
            var started = Stopwatch.GetTimestamp();
            await using (var patient = await RawSmtpClient.ConnectAsync(server.Mta, Paused))
            {
                Assert.StartsWith("220", await patient.ReadReplyAsync(), StringComparison.Ordinal);
                Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(1400), "greeted after " + Stopwatch.GetElapsedTime(started));
                Assert.StartsWith("250", await patient.CommandAsync("EHLO patient.test"), StringComparison.Ordinal);
            }

            // Other clients are not limited.
            await using var other = await RawSmtpClient.ConnectAsync(server.Mta);
            Assert.StartsWith("220", await other.ReadReplyAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
