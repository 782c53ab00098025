using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Queue;

public sealed class QueueRunnerTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    private QueueOptions Options => TestMessages.Options(_directory);

    [Fact]
    public async Task A_committed_message_is_delivered_at_once_and_removed()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        var body = TestMessages.Body();

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net"), body);

        var call = await harness.NextCallAsync();
        Assert.Equal(id, call.Id);
        Assert.Equal([0, 1], call.Indices);
        Assert.Equal(body, call.Body);
        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task Messages_left_in_the_queue_are_delivered_on_start()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var first = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var second = await TestMessages.CommitAsync(spool, TestMessages.Envelope("carol@example.net"), TestMessages.Body());

        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        var done = new[] { await harness.NextAttemptAsync(), await harness.NextAttemptAsync() };
        // Ids made in the same millisecond order by their random part: compare as sets.
        Assert.Equal(new[] { first.Value, second.Value }.Order(StringComparer.Ordinal), done.Select(d => d.Id.Value).Order(StringComparer.Ordinal));
        Assert.All(done, d => Assert.Equal(AttemptResult.Done, d.Result));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_deferred_recipient_is_retried_after_the_backoff_and_only_it()
    {
        var calls = 0;
        var transport = new FakeTransport((_, recipients, _) => Task.FromResult(
            Interlocked.Increment(ref calls) == 1
                ? FakeTransport.Outcomes(recipients, r => r.Address.LocalPart == "bob" ? DeliveryStatus.Delivered : DeliveryStatus.Deferred)
                : FakeTransport.Outcomes(recipients, _ => DeliveryStatus.Delivered)));
        await using var harness = RunnerHarness.Start(Options, _clock, transport);

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net"), TestMessages.Body());
        var call = await harness.NextCallAsync();
        Assert.Equal([0, 1], call.Indices);
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());

        _clock.Advance(Options.RetrySchedule[0] - TimeSpan.FromSeconds(1));
        Assert.False(transport.Calls.Reader.TryPeek(out _));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var retry = await harness.NextCallAsync();
        Assert.Equal([1], retry.Indices);
        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task The_retry_waits_follow_the_schedule_and_its_last_step_repeats()
    {
        var options = Options with { RetrySchedule = [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(25)] };
        await using var harness = RunnerHarness.Start(options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred));
        await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await harness.NextAttemptAsync();

        // Waits expected: 10, 20, 25, 25 minutes.
        foreach (var minutes in new[] { 10, 20, 25, 25 })
        {
            _clock.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
            Assert.False(harness.Attempts.Reader.TryPeek(out _));
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(AttemptResult.Retry, (await harness.NextAttemptAsync()).Result);
        }
    }

    [Fact]
    public async Task After_a_restart_delivered_recipients_are_not_delivered_again()
    {
        var firstTransport = FakeTransport.Answering(r => r.Address.LocalPart == "carol" ? DeliveryStatus.Deferred : DeliveryStatus.Delivered);
        QueueId id;
        await using (var first = RunnerHarness.Start(Options, _clock, firstTransport))
        {
            id = await TestMessages.CommitAsync(first.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net", "dave@example.net"), TestMessages.Body());
            Assert.Equal((id, AttemptResult.Retry), await first.NextAttemptAsync());
        }

        await using var second = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        // The deferral's next attempt (5 minutes on) is journaled: the restart waits for it,
        // without an attempt (recovery read the journal).
        await second.RecoveredAsync();
        Assert.False(second.Attempts.Reader.TryPeek(out _));
        Assert.False(second.Transport.Calls.Reader.TryPeek(out _));
        _clock.Advance(Options.RetrySchedule[0]);
        var call = await second.NextCallAsync();
        Assert.Equal(id, call.Id);
        Assert.Equal([1], call.Indices);
        Assert.Equal((id, AttemptResult.Done), await second.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_message_whose_recipients_are_all_journaled_is_finished_without_delivery()
    {
        // A crash after the last outcome was journaled but before the message was removed.
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        spool.Journal.Append(id, [new Postern.Queue.Storage.JournalEntry { Recipient = 0, Kind = Postern.Queue.Storage.JournalKind.Delivered }]);

        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_transport_that_throws_does_not_stop_the_runner()
    {
        var calls = 0;
        var transport = new FakeTransport((_, recipients, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("connection\r\nreset")
            : Task.FromResult(FakeTransport.Outcomes(recipients, _ => DeliveryStatus.Delivered)));
        await using var harness = RunnerHarness.Start(Options, _clock, transport);

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());
        var other = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("carol@example.net"), TestMessages.Body());
        Assert.Equal((other, AttemptResult.Done), await harness.NextAttemptAsync());

        _clock.Advance(Options.RetrySchedule[0]);
        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_transport_answering_for_the_wrong_recipients_defers_them()
    {
        var calls = 0;
        var transport = new FakeTransport((_, recipients, _) => Task.FromResult(
            Interlocked.Increment(ref calls) == 1
                ? (IReadOnlyList<RecipientOutcome>)[FakeTransport.Outcome(recipients[0], DeliveryStatus.Delivered)]
                : FakeTransport.Outcomes(recipients, _ => DeliveryStatus.Delivered)));
        await using var harness = RunnerHarness.Start(Options, _clock, transport);

        await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net"), TestMessages.Body());
        Assert.Equal(AttemptResult.Retry, (await harness.NextAttemptAsync()).Result);
        _clock.Advance(Options.RetrySchedule[0]);

        await harness.NextCallAsync();
        var call = await harness.NextCallAsync();
        Assert.Equal([0, 1], call.Indices);
    }

    [Fact]
    public async Task A_failed_recipient_is_bounced_once_and_the_message_finished()
    {
        var bounces = new RecordingBounceSink();
        await using var harness = RunnerHarness.Start(
            Options, _clock, FakeTransport.Answering(r => r.Address.LocalPart == "bob" ? DeliveryStatus.Failed : DeliveryStatus.Delivered), bounces);

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net"), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.True(bounces.Reports.Reader.TryRead(out var report));
        var failure = Assert.Single(report.Failures);
        Assert.Equal("bob", failure.Recipient.Address.LocalPart);
        Assert.Equal(550, failure.Reply.Code);
        Assert.False(bounces.Reports.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_bounce_sink_failure_keeps_the_message_and_retries_only_the_bounce()
    {
        var bounces = new RecordingBounceSink { FailuresToThrow = 1 };
        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Failed), bounces);

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());
        Assert.Equal([id + ".msg", id + ".rcpt"], TempSpoolDirectory.Names(_directory.Queue));
        _clock.Advance(Options.RetrySchedule[0]);

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        await harness.NextCallAsync();
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
        Assert.Equal(2, harness.Bounces.Reports.Reader.Count);
    }

    [Fact]
    public async Task A_recipient_deferred_past_the_queue_lifetime_fails_and_is_bounced()
    {
        var options = Options with { RetrySchedule = [TimeSpan.FromHours(2)], MaxQueueLifetime = TimeSpan.FromHours(1) };
        var bounces = new RecordingBounceSink();
        await using var harness = RunnerHarness.Start(options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred), bounces);

        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());
        Assert.False(bounces.Reports.Reader.TryPeek(out _));
        _clock.Advance(options.RetrySchedule[0]);

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.True(bounces.Reports.Reader.TryRead(out var report));
        var failure = Assert.Single(report.Failures);
        Assert.Equal(DeliveryStatus.Failed, failure.Status);
        Assert.Equal("5.4.7", failure.Reply.Status.ToString());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task No_more_messages_than_the_concurrency_limit_are_delivered_at_once()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new FakeTransport(async (_, recipients, _) =>
        {
            await gate.Task;
            return FakeTransport.Outcomes(recipients, _ => DeliveryStatus.Delivered);
        });
        await using var harness = RunnerHarness.Start(Options with { DeliveryConcurrency = 2 }, _clock, transport);

        for (var i = 0; i < 6; i++)
        {
            await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope($"user{i}@example.net"), TestMessages.Body());
        }
        await harness.NextCallAsync();
        await harness.NextCallAsync();
        Assert.False(transport.Calls.Reader.TryPeek(out _));
        gate.SetResult();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(AttemptResult.Done, (await harness.NextAttemptAsync()).Result);
        }
        Assert.Equal(2, transport.MaxInFlight);
    }

    [Fact]
    public async Task Shutdown_waits_for_the_delivery_in_flight_and_keeps_its_message()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new FakeTransport(async (_, _, cancellationToken) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                cancelled.SetResult();
            }
            throw new InvalidOperationException("unreachable");
        });
        var harness = RunnerHarness.Start(Options, _clock, transport);
        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await harness.NextCallAsync();

        await harness.DisposeAsync();

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Equal([id + ".msg"], TempSpoolDirectory.Names(_directory.Queue));
    }
}
