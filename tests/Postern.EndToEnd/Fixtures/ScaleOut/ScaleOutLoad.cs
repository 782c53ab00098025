using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Postern.EndToEnd.Fixtures.ScaleOut;

/// <summary>
/// Bounded load through the load balancer: <c>workers</c> clients, each bound to its own loopback
/// source address, sending one message per session (so every message is a new session HAProxy
/// places) with a unique Message-ID, until stopped or <c>maxMessages</c> are sent. A message is
/// acknowledged when the client read 250 after its final dot; a session that fails (connection
/// refused or reset, a 4xx, no reply in time) is counted and the worker starts another after a
/// short pause, as a real client retries.
/// </summary>
public sealed class ScaleOutLoad(IPEndPoint proxy, IReadOnlyList<IPAddress> sources, string sender, string recipient, int maxMessages)
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, DateTime> _acknowledged = new();
    private int _started;
    private int _failures;

    /// <summary>The Message-IDs the load balancer's nodes acknowledged, with the time of the 250.</summary>
    public IReadOnlyDictionary<string, DateTime> Acknowledged => _acknowledged;

    /// <summary>Sessions that ended without an acknowledged message.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Runs one worker per source address until <paramref name="stop"/> or the message cap.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(sources.Select(source => WorkAsync(source, stop)));

    private async Task WorkAsync(IPAddress source, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Interlocked.Increment(ref _started) <= maxMessages)
        {
            var messageId = $"<load-{Guid.NewGuid():N}@client.scaleout.test>";
            try
            {
                if (await SendOneAsync(source, messageId))
                {
                    _acknowledged[messageId] = DateTime.UtcNow;
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException)
            {
                // The node went away mid-session: not acknowledged, the client tries again.
            }
            Interlocked.Increment(ref _failures);
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task<bool> SendOneAsync(IPAddress source, string messageId)
    {
        await using var client = await RawSmtpClient.ConnectAsync(proxy, source);
        if (!IsPositive(await client.ReadReplyAsync(ReplyWait), "220"))
        {
            return false;
        }
        foreach (var command in new[] { "EHLO client.scaleout.test", $"MAIL FROM:<{sender}>", $"RCPT TO:<{recipient}>" })
        {
            if (!IsPositive(await CommandAsync(client, command), "250"))
            {
                return false;
            }
        }
        if (!IsPositive(await CommandAsync(client, "DATA"), "354"))
        {
            return false;
        }
        await client.SendAsync(
            $"From: <{sender}>\r\nTo: <{recipient}>\r\nSubject: load\r\nMessage-ID: {messageId}\r\n" +
            $"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n\r\nunder load\r\n.\r\n");
        var acknowledged = IsPositive(await client.ReadReplyAsync(ReplyWait), "250");
        if (acknowledged)
        {
            try
            {
                await CommandAsync(client, "QUIT");
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // Acknowledged is acknowledged: the 250 came before.
            }
        }
        return acknowledged;
    }

    private static async Task<string?> CommandAsync(RawSmtpClient client, string command)
    {
        await client.SendAsync(command + "\r\n");
        return await client.ReadReplyAsync(ReplyWait);
    }

    private static bool IsPositive(string? reply, string code) => reply is not null && reply.StartsWith(code, StringComparison.Ordinal);
}
