using Microsoft.Extensions.Time.Testing;
using Postern.Cli;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Storage;

namespace Postern.Tests.Queue;

/// <summary>
/// A deep queue: thousands of deferred messages found at start wait for their journaled time
/// without an attempt (recovery reads each once), then each is tried once when due; the list
/// streams them all in queue order. The timings are bench/run's row 10; this guards the behaviour.
/// </summary>
public sealed class DeepQueueTests : IDisposable
{
    private const int Messages = 2000;
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Deferred_messages_found_at_start_wait_for_their_time_and_each_is_tried_once_when_due()
    {
        var ids = await DeferAsync();

        var deliveries = FakeTransport.Answering(_ => DeliveryStatus.Delivered);
        await using var harness = RunnerHarness.Start(TestMessages.Options(_directory), _clock, deliveries);
        await harness.RecoveredAsync();
        Assert.False(harness.Attempts.Reader.TryPeek(out _));

        _clock.Advance(Wait - TimeSpan.FromMinutes(1));
        Assert.False(harness.Attempts.Reader.TryPeek(out _));
        Assert.Equal(0, deliveries.Calls.Reader.Count);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var done = new HashSet<QueueId>();
        for (var i = 0; i < Messages; i++)
        {
            var (id, result) = await harness.NextAttemptAsync();
            Assert.Equal(AttemptResult.Done, result);
            Assert.True(done.Add(id), $"{id} was attempted twice");
        }
        Assert.Equal(ids.ToHashSet(), done);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task The_list_streams_every_message_of_a_deep_queue_in_queue_order()
    {
        var ids = await DeferAsync();
        var spool = TestMessages.Spool(_directory, _clock);

        var listed = spool.Inspection.Inspect(CancellationToken.None).Select(m => m.Id).ToList();

        Assert.Equal(ids.Order(Comparer<QueueId>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value))), listed);
        using var output = new StringWriter();
        QueueListFormat.Write(output, spool.Inspection.Inspect(CancellationToken.None), TimeZoneInfo.Utc);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"                Total requests: {Messages}", lines[^1]);
        Assert.Equal(Messages, lines.Count(l => l.Contains("(deferred: 451 4.2.0 Mailbox busy)", StringComparison.Ordinal)));
    }

    /// <summary>Queues <see cref="Messages"/> messages, each deferred once with its next attempt <see cref="Wait"/> ahead.</summary>
    private async Task<List<QueueId>> DeferAsync()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var now = _clock.GetUtcNow();
        var ids = new List<QueueId>(Messages);
        for (var i = 0; i < Messages; i++)
        {
            var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope($"r{i}@example.net"), TestMessages.Body());
            Assert.True(spool.Journal.Append(id, [new JournalEntry
            {
                Recipient = 0,
                Kind = JournalKind.Deferred,
                Code = 451,
                Status = "4.2.0",
                Lines = ["Mailbox busy"],
                Mailer = "esmtp",
                Relay = "example.net",
                At = now,
                Attempts = 1,
                Next = now + Wait,
            }]));
            ids.Add(id);
        }
        return ids;
    }
}
