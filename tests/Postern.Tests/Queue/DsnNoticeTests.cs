using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Dsn;

namespace Postern.Tests.Queue;

/// <summary>The runner's delay warnings, SUCCESS notices and DELIVERBY deadlines.</summary>
public sealed class DsnNoticeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Start);

    public void Dispose() => _directory.Dispose();

    private QueueOptions Options(TimeSpan? delayWarning = null) =>
        TestMessages.Options(_directory) with { DelayWarning = delayWarning ?? TimeSpan.FromHours(4) };

    private static Envelope Envelope(DsnNotify notify, DeliverBy? deliverBy = null) =>
        TestMessages.Envelope("bob@example.net") is var e
            ? e with { Recipients = [e.Recipients[0] with { Notify = notify }], DeliverBy = deliverBy }
            : throw new InvalidOperationException();

    private static FakeTransport Relaying(bool nextHopLacksDsn) =>
        new((_, recipients, _) => Task.FromResult<IReadOnlyList<RecipientOutcome>>(
            [.. recipients.Select(r => new RecipientOutcome(r, DeliveryStatus.Delivered, new(250, "2.0.0", "Ok"), "esmtp", "mx.example.net. [192.0.2.1]")
            {
                NextHopLacksDsn = nextHopLacksDsn,
            })]));

    /// <summary>Advances the fake clock by <paramref name="by"/> in steps of at most 30 minutes (never past the end), letting due attempts run.</summary>
    private async Task AdvanceAsync(RunnerHarness harness, TimeSpan by)
    {
        var end = _clock.GetUtcNow() + by;
        while (_clock.GetUtcNow() < end)
        {
            var remaining = end - _clock.GetUtcNow();
            _clock.Advance(remaining < TimeSpan.FromMinutes(30) ? remaining : TimeSpan.FromMinutes(30));
            // Attempts are asynchronous: drain what the step started before the next one.
            while (await Task.WhenAny(harness.Attempts.Reader.WaitToReadAsync().AsTask(), Task.Delay(50)) is Task<bool> { Result: true })
            {
                harness.Attempts.Reader.TryRead(out _);
            }
        }
    }

    [Fact]
    public async Task A_delay_warning_goes_out_once_after_four_hours_and_not_again_after_a_restart()
    {
        var bounces = new RecordingBounceSink();
        QueueId id;
        await using (var harness = RunnerHarness.Start(Options(), _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred), bounces))
        {
            id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.None), TestMessages.Body());
            await harness.NextAttemptAsync();
            await AdvanceAsync(harness, TimeSpan.FromHours(3) + TimeSpan.FromMinutes(50));
            Assert.False(bounces.Notices.Reader.TryPeek(out _));

            await AdvanceAsync(harness, TimeSpan.FromMinutes(15));
            var notice = await bounces.Notices.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout);
            Assert.Equal(id, notice.Id);
            Assert.Equal(DsnAction.Delayed, notice.Action);
            Assert.Equal("bob@example.net", Assert.Single(notice.Outcomes).Recipient.Address.ToString());
            Assert.Equal(DeliveryStatus.Deferred, notice.Outcomes[0].Status);
            Assert.Equal(Start + TimeSpan.FromDays(5), notice.WillRetryUntil);

            await AdvanceAsync(harness, TimeSpan.FromHours(3));
            Assert.False(bounces.Notices.Reader.TryPeek(out _));
        }

        await using (var restarted = RunnerHarness.Start(Options(), _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred), bounces))
        {
            await restarted.RecoveredAsync();
            await AdvanceAsync(restarted, TimeSpan.FromHours(2));
            Assert.True(restarted.Transport.Calls.Reader.Count > 0);
        }
        Assert.False(bounces.Notices.Reader.TryPeek(out _));
        Assert.False(bounces.Reports.Reader.TryPeek(out _));
    }

    [Theory]
    [InlineData(DsnNotify.Never, 4)]
    [InlineData(DsnNotify.Failure, 4)]
    [InlineData(DsnNotify.None, 0)]
    public async Task No_delay_warning_when_notify_forbids_it_or_warnings_are_off(DsnNotify notify, int warningHours)
    {
        await using var harness = RunnerHarness.Start(
            Options(TimeSpan.FromHours(warningHours)), _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred));
        await TestMessages.CommitAsync(harness.Spool, Envelope(notify), TestMessages.Body());
        await harness.NextAttemptAsync();

        await AdvanceAsync(harness, TimeSpan.FromHours(6));

        Assert.True(harness.Transport.Calls.Reader.Count > 2);
        Assert.False(harness.Bounces.Notices.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task A_local_delivery_with_notify_success_gets_a_delivered_notice()
    {
        await using var harness = RunnerHarness.Start(Options(), _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.Success | DsnNotify.Failure), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());

        Assert.True(harness.Bounces.Notices.Reader.TryRead(out var notice));
        Assert.Equal(DsnAction.Delivered, notice.Action);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(notice.Outcomes).Status);
        Assert.False(harness.Bounces.Notices.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task Without_notify_success_a_delivery_gets_no_notice()
    {
        await using var harness = RunnerHarness.Start(Options(), _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.Failure | DsnNotify.Delay), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.False(harness.Bounces.Notices.Reader.TryPeek(out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_relay_without_dsn_gets_a_relayed_notice_and_one_with_dsn_reports_itself(bool nextHopLacksDsn)
    {
        await using var harness = RunnerHarness.Start(Options(), _clock, Relaying(nextHopLacksDsn));
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.Success), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());

        if (nextHopLacksDsn)
        {
            Assert.True(harness.Bounces.Notices.Reader.TryRead(out var notice));
            Assert.Equal(DsnAction.Relayed, notice.Action);
        }
        Assert.False(harness.Bounces.Notices.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task The_deliverby_trace_flag_asks_for_a_delivered_notice()
    {
        await using var harness = RunnerHarness.Start(Options(), _clock, FakeTransport.Answering(_ => DeliveryStatus.Delivered));
        var by = new DeliverBy(Start + TimeSpan.FromHours(1), DeliverByMode.Return, Trace: true);
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.None, by), TestMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());

        Assert.True(harness.Bounces.Notices.Reader.TryRead(out var notice));
        Assert.Equal(DsnAction.Delivered, notice.Action);
    }

    [Fact]
    public async Task Deliverby_return_mode_fails_the_recipient_at_the_deadline_with_a_bounce()
    {
        var options = Options() with { RetrySchedule = [TimeSpan.FromHours(2)] };
        await using var harness = RunnerHarness.Start(options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred));
        var by = new DeliverBy(Start + TimeSpan.FromMinutes(30), DeliverByMode.Return, Trace: false);
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.None, by), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());

        _clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False(harness.Bounces.Reports.Reader.TryPeek(out _));
        _clock.Advance(TimeSpan.FromMinutes(1));

        // The deadline wakes the runner long before the 2h retry; it does not attempt again.
        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        Assert.Equal(1, harness.Transport.Calls.Reader.Count);
        Assert.True(harness.Bounces.Reports.Reader.TryRead(out var report));
        var failure = Assert.Single(report.Failures);
        Assert.Equal(DeliveryStatus.Failed, failure.Status);
        Assert.Equal(554, failure.Reply.Code);
        Assert.Equal("5.4.7", failure.Reply.Status?.ToString());
        Assert.Contains("DELIVERBY", failure.Reply.ToString(), StringComparison.Ordinal);
        Assert.Empty(TempSpoolDirectory.Names(_directory.Queue));
    }

    [Fact]
    public async Task Deliverby_notify_mode_sends_a_delay_report_at_the_deadline_and_keeps_trying()
    {
        var options = Options() with { RetrySchedule = [TimeSpan.FromHours(2)] };
        await using var harness = RunnerHarness.Start(options, _clock, FakeTransport.Answering(_ => DeliveryStatus.Deferred));
        var by = new DeliverBy(Start + TimeSpan.FromMinutes(30), DeliverByMode.Notify, Trace: false);
        var id = await TestMessages.CommitAsync(harness.Spool, Envelope(DsnNotify.None, by), TestMessages.Body());
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());

        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal((id, AttemptResult.Waiting), await harness.NextAttemptAsync());
        Assert.True(harness.Bounces.Notices.Reader.TryRead(out var notice));
        Assert.Equal(DsnAction.Delayed, notice.Action);
        Assert.Single(notice.Outcomes);
        Assert.False(harness.Bounces.Reports.Reader.TryPeek(out _));

        // The retry still comes at 2h, and the deadline report is not repeated.
        _clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal((id, AttemptResult.Retry), await harness.NextAttemptAsync());
        Assert.Equal(2, harness.Transport.Calls.Reader.Count);
        Assert.False(harness.Bounces.Notices.Reader.TryPeek(out _));
    }
}
