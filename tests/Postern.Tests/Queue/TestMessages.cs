using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

internal static class TestMessages
{
    public static Envelope Envelope(params string[] recipients) => new()
    {
        Sender = new Mailbox("alice", "example.org"),
        Recipients = [.. recipients.Select(r => new EnvelopeRecipient(new Mailbox(r.Split('@')[0], r.Split('@')[1])))],
        Client = new ClientInfo(IPAddress.Loopback, "client.example.org", "ESMTP", "MTA"),
        ReceivedAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
    };

    public static byte[] Body(string text = "Subject: hi\r\n\r\nHello\r\n") => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>The test process's spool I/O threads: one set, as the daemon's composition root has.</summary>
    public static SpoolIoThreads IoThreads { get; } = new();

    /// <summary>A spool on <paramref name="directory"/>; its commits go to <paramref name="committed"/> when given.</summary>
    public static Spool Spool(TempSpoolDirectory directory, TimeProvider clock, CommittedMessages? committed = null) =>
        new(Options(directory), IoThreads, committed ?? new CommittedMessages(), clock, NullLogger<Spool>.Instance);

    /// <summary>As <see cref="Spool(TempSpoolDirectory, TimeProvider, CommittedMessages?)"/>, with each temp file stream wrapped (to inject faults).</summary>
    public static Spool Spool(TempSpoolDirectory directory, TimeProvider clock, CommittedMessages committed, Func<Stream, Stream> wrapBodyStream) =>
        new(Options(directory), IoThreads, committed, clock, NullLogger<Spool>.Instance, wrapBodyStream);

    public static QueueOptions Options(TempSpoolDirectory directory) => new()
    {
        SpoolDirectory = directory.Path,
        DeliveryConcurrency = 4,
        RetrySchedule = [TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)],
        RetryJitter = 0,
        MaxQueueLifetime = TimeSpan.FromDays(5),
        // Off unless a test is about it: its wake-ups would add attempts other tests do not expect.
        DelayWarning = TimeSpan.Zero,
    };

    public static async Task<QueueId> CommitAsync(IMessageQueue queue, Envelope envelope, byte[] body)
    {
        await using var writer = await queue.BeginMessageAsync(envelope, CancellationToken.None);
        await writer.Body.WriteAsync(body);
        await writer.CommitAsync(CancellationToken.None);
        return writer.Id;
    }
}
