using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace Postern.EndToEnd;

/// <summary>
/// Resource limits under attack: a thousand clients from 25 loopback addresses each send a byte a
/// second and never finish a command line, reconnecting whenever they are cut off, while a normal
/// client keeps delivering. The command deadline cuts every slow session off, stress mode shortens
/// the timeouts while the slots are 80% taken, the normal client's mail all gets through in time,
/// and the daemon's memory stays bounded. Timeouts are scaled down to seconds through the configuration.
/// </summary>
public sealed class SlowClientAttackTests(ITestOutputHelper output)
{
    private const int Attackers = 1000;
    private const int Addresses = 25;
    private const int Messages = 10;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan AttackLength = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MessageBound = TimeSpan.FromSeconds(10);
    private const long RssBoundBytes = 300L * 1024 * 1024;

    [Fact]
    public async Task Normal_mail_flows_while_a_thousand_slow_clients_are_cut_off_by_the_deadline_and_memory_stays_bounded()
    {
        var server = await PosternProcess.StartAsync(PosternProcess.Config("""

            [limits]
            max_connections = 1100
            command_timeout = "4s"
            data_timeout = "4s"
            stress_timeout = "3s"
            """));
        try
        {
            var sessions = new ConcurrentBag<SlowSession>();
            var until = DateTime.UtcNow + AttackLength;
            var attack = Enumerable.Range(0, Attackers)
                .Select(i => Task.Run(() => SlowClientAsync(server.Mta, IPAddress.Parse("127.0.1." + (1 + i % Addresses).ToString(CultureInfo.InvariantCulture)), until, sessions)))
                .ToArray();
            var peakRss = 0L;
            var sampling = Task.Run(async () =>
            {
                while (DateTime.UtcNow < until)
                {
                    peakRss = Math.Max(peakRss, Rss(server.ProcessId));
                    await Task.Delay(250);
                }
            });

            // The normal client starts once the attack holds most of the slots.
            await server.WaitForLogAsync(l => l.Contains("stress: ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            var times = new List<TimeSpan>();
            for (var i = 0; i < Messages && DateTime.UtcNow < until; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await DeliverAsync(server.Mta, "attack-token-" + i.ToString(CultureInfo.InvariantCulture));
                times.Add(Stopwatch.GetElapsedTime(started));
                await Task.Delay(500);
            }
            await Task.WhenAll(attack);
            await sampling;

            Assert.Equal(Messages, times.Count);
            Assert.All(times, t => Assert.True(t < MessageBound, "a normal transaction took " + t));
            for (var i = 0; i < Messages; i++)
            {
                await server.WaitForMailAsync("user", "attack-token-" + i.ToString(CultureInfo.InvariantCulture), TimeSpan.FromSeconds(15));
            }

            var ended = sessions.Where(s => s.ClosedByServer).ToList();
            var cutOff = ended.Count(s => s.Replies.Contains("421 4.4.2", StringComparison.Ordinal));
            var longest = ended.Count == 0 ? TimeSpan.Zero : ended.Max(s => s.Lifetime);
            output.WriteLine($"slow sessions: {sessions.Count}, cut off with 421 4.4.2: {cutOff}, longest: {longest.TotalSeconds:0.0} s; "
                + $"normal transactions: {times.Count}, slowest {times.Max().TotalMilliseconds:0} ms; daemon peak RSS {peakRss / (1024 * 1024)} MB");
            Assert.True(cutOff >= Attackers, $"{cutOff} slow sessions cut off with 421 4.4.2 of {sessions.Count}");
            Assert.True(longest < CommandTimeout + TimeSpan.FromSeconds(5), "a slow session lasted " + longest);
            Assert.True(peakRss < RssBoundBytes, $"daemon RSS peaked at {peakRss / (1024 * 1024)} MB");
            await server.WaitForLogAsync(l => l.Contains("stress ended: ", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    private static async Task DeliverAsync(IPEndPoint server, string token)
    {
        await using var client = await RawSmtpClient.ConnectAsync(server);
        Assert.StartsWith("220", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("EHLO normal.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@example.org>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<user@localhost>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        Assert.StartsWith("250", await client.CommandAsync("Subject: " + token + "\r\n\r\nunder attack\r\n."), StringComparison.Ordinal);
        Assert.StartsWith("221", await client.CommandAsync("QUIT"), StringComparison.Ordinal);
    }

    // One attacker: connects, sends a byte a second without ever ending the line, reconnects when cut off.
    private static async Task SlowClientAsync(IPEndPoint server, IPAddress from, DateTime until, ConcurrentBag<SlowSession> sessions)
    {
        var octet = "x"u8.ToArray();
        while (DateTime.UtcNow < until)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            try
            {
                using var connectWait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await socket.ConnectAsync(server, connectWait.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                await Task.Delay(200);
                continue;
            }
            var started = Stopwatch.GetTimestamp();
            var replies = new StringBuilder();
            var reading = ReadUntilClosedAsync(socket, replies);
            while (!reading.IsCompleted && DateTime.UtcNow < until)
            {
                try
                {
                    await socket.SendAsync(octet);
                }
                catch (SocketException)
                {
                    break;
                }
                await Task.WhenAny(reading, Task.Delay(1000));
            }
            var closed = await Task.WhenAny(reading, Task.Delay(200)) == reading;
            sessions.Add(new SlowSession(Stopwatch.GetElapsedTime(started), closed, replies.ToString()));
            if (closed)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task ReadUntilClosedAsync(Socket socket, StringBuilder replies)
    {
        var buffer = new byte[512];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                replies.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Reset or closed here: the session is over either way.
        }
    }

    private static long Rss(int processId)
    {
        try
        {
            var line = File.ReadLines("/proc/" + processId.ToString(CultureInfo.InvariantCulture) + "/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private sealed record SlowSession(TimeSpan Lifetime, bool ClosedByServer, string Replies);
}
