using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Queue;

/// <summary>Persisted deferrals and restart, hold/release, delete and flush.</summary>
public sealed class QueueManagementTests : IDisposable
{
    private static readonly TimeSpan Step1 = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Step2 = TimeSpan.FromHours(1);

    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Dispose();

    private QueueOptions Options => TestMessages.Options(_directory);

    private static FakeTransport Deferring() => FakeTransport.Answering(_ => DeliveryStatus.Deferred);

    [Fact]
    public async Task A_deferral_is_journaled_and_shown_with_its_reply_and_next_attempt()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, Deferring());
        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());

        var info = await harness.Spool.Inspection.TryGetAsync(id, CancellationToken.None);

        Assert.NotNull(info);
        var recipient = Assert.Single(info.Recipients);
        Assert.Equal(QueueRecipientState.Deferred, recipient.State);
        Assert.Equal("451 4.2.0 Mailbox busy", recipient.LastReply?.ToString());
        Assert.Equal(1, info.Attempts);
        Assert.Equal(_clock.GetUtcNow() + Step1, info.NextAttempt);
        Assert.False(info.Held);
    }

    [Fact]
    public async Task After_a_restart_a_deferred_message_waits_for_its_next_attempt_and_the_count_continues()
    {
        QueueId id;
        await using (var first = RunnerHarness.Start(Options, _clock, Deferring()))
        {
            id = await TestMessages.CommitAsync(first.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
            Assert.Equal((id, AttemptResult.Retry), await first.NextAttemptAsync());
        }
        _clock.Advance(TimeSpan.FromMinutes(2));

        await using var second = RunnerHarness.Start(Options, _clock, Deferring());
        await second.RecoveredAsync();
        Assert.False(second.Attempts.Reader.TryPeek(out _));
        Assert.False(second.Transport.Calls.Reader.TryPeek(out _));

        _clock.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
        Assert.False(second.Attempts.Reader.TryPeek(out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        await second.NextCallAsync();
        Assert.Equal((id, AttemptResult.Retry), await second.NextAttemptAsync());

        // Second attempt: the schedule's second step, not the first again.
        var info = await second.Spool.Inspection.TryGetAsync(id, CancellationToken.None);
        Assert.Equal(2, info!.Attempts);
        Assert.Equal(_clock.GetUtcNow() + Step2, info.NextAttempt);
        _clock.Advance(Step1);
        Assert.False(second.Attempts.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task A_message_whose_next_attempt_has_passed_is_attempted_at_once_after_a_restart()
    {
        QueueId id;
        await using (var first = RunnerHarness.Start(Options, _clock, Deferring()))
        {
            id = await TestMessages.CommitAsync(first.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
            await first.NextAttemptAsync();
        }
        _clock.Advance(TimeSpan.FromHours(3));

        await using var second = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));

        Assert.Equal((id, AttemptResult.Done), await second.NextAttemptAsync());
    }

    [Fact]
    public async Task A_held_message_is_not_attempted_until_released()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.True(spool.Control.Hold(id));
        Assert.Equal([id + ".hold", id + ".msg"], TempSpoolDirectory.Names(_directory.Queue));

        await using var harness = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        Assert.Equal((id, AttemptResult.Held), await harness.NextAttemptAsync());
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
        Assert.True((await harness.Spool.Inspection.TryGetAsync(id, CancellationToken.None))!.Held);
        Assert.Equal(0, await harness.Runner.FlushAsync(null, CancellationToken.None));

        Assert.True(harness.Spool.Control.ReleaseHold(id));
        harness.Runner.Rescan();

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task A_deferred_message_put_on_hold_is_skipped_when_its_retry_is_due()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, Deferring());
        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await harness.NextAttemptAsync();
        await harness.NextCallAsync();

        Assert.True(harness.Spool.Control.Hold(id));
        _clock.Advance(Step1);

        Assert.Equal((id, AttemptResult.Held), await harness.NextAttemptAsync());
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
    }

    [Fact]
    public void Hold_release_and_delete_of_an_unknown_message_say_so()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var id = QueueId.New(_clock);

        Assert.False(spool.Control.Hold(id));
        Assert.False(spool.Control.ReleaseHold(id));
        Assert.False(spool.Control.Delete(id));
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task Delete_removes_the_message_its_journal_and_its_hold_marker()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, Deferring());
        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await harness.NextAttemptAsync();
        Assert.True(harness.Spool.Control.Hold(id));

        Assert.True(harness.Spool.Control.Delete(id));

        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        _clock.Advance(Step1);
        Assert.Equal((id, AttemptResult.Dropped), await harness.NextAttemptAsync());
        await harness.NextCallAsync(); // the first attempt's call
        Assert.False(harness.Transport.Calls.Reader.TryPeek(out _));
    }

    [Theory]
    [InlineData(DeliveryStatus.Deferred)]
    [InlineData(DeliveryStatus.Failed)]
    public async Task A_message_deleted_during_its_attempt_is_dropped_without_journal_or_bounce(DeliveryStatus answer)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new FakeTransport(async (_, recipients, _) =>
        {
            entered.TrySetResult();
            await proceed.Task;
            return FakeTransport.Outcomes(recipients, _ => answer);
        });
        var bounces = new RecordingBounceSink();
        await using var harness = RunnerHarness.Start(Options, _clock, transport, bounces);
        var id = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        await entered.Task.WaitAsync(RunnerHarness.Timeout);

        Assert.True(harness.Spool.Control.Delete(id));
        proceed.SetResult();

        Assert.Equal((id, AttemptResult.Dropped), await harness.NextAttemptAsync());
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
        Assert.False(bounces.Reports.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task Flush_attempts_every_deferred_message_now()
    {
        await using var harness = RunnerHarness.Start(Options, _clock, Deferring());
        var a = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var b = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("carol@example.com"), TestMessages.Body());
        await harness.NextAttemptAsync();
        await harness.NextAttemptAsync();

        Assert.Equal(2, await harness.Runner.FlushAsync(null, CancellationToken.None));

        var flushed = new[] { (await harness.NextAttemptAsync()).Id.Value, (await harness.NextAttemptAsync()).Id.Value };
        Assert.Equal(new[] { a.Value, b.Value }.Order(StringComparer.Ordinal), flushed.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("EXAMPLE.COM")]
    [InlineData("@example.com")]
    public async Task Flush_by_domain_attempts_only_messages_with_a_pending_recipient_in_it_or_below(string domain)
    {
        await using var harness = RunnerHarness.Start(Options, _clock, Deferring());
        await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var sub = await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("carol@mx.example.com"), TestMessages.Body());
        await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("dave@notexample.com"), TestMessages.Body());
        for (var i = 0; i < 3; i++)
        {
            await harness.NextAttemptAsync();
        }

        Assert.Equal(1, await harness.Runner.FlushAsync(domain, CancellationToken.None));

        Assert.Equal((sub, AttemptResult.Retry), await harness.NextAttemptAsync());
        Assert.False(harness.Attempts.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task Flush_after_a_restart_overrides_the_journaled_wait()
    {
        QueueId id;
        await using (var first = RunnerHarness.Start(Options, _clock, Deferring()))
        {
            id = await TestMessages.CommitAsync(first.Spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
            await first.NextAttemptAsync();
        }
        await using var second = RunnerHarness.Start(Options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        await second.RecoveredAsync();
        Assert.False(second.Attempts.Reader.TryPeek(out _));

        Assert.Equal(1, await second.Runner.FlushAsync(null, CancellationToken.None));

        Assert.Equal((id, AttemptResult.Done), await second.NextAttemptAsync());
    }
}
