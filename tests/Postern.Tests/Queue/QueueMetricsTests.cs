using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Smtp;
using Postern.Queue;
using Postern.Queue.Storage;
using Postern.Tests.Server.Telemetry;

namespace Postern.Tests.Queue;

/// <summary>Delivery attempts, latency and queue size as the runner and the spool report them.</summary>
public sealed class QueueMetricsTests : IDisposable
{
    private readonly TempSpoolDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MeasurementRecorder _recorder = new();

    public void Dispose()
    {
        _recorder.Dispose();
        _directory.Dispose();
    }

    private QueueOptions Options => TestMessages.Options(_directory);

    [Fact]
    public async Task Each_recipient_outcome_counts_by_result_and_transport_and_delivery_records_the_queue_time()
    {
        var calls = 0;
        var transport = new FakeTransport((_, recipients, _) => Task.FromResult(
            Interlocked.Increment(ref calls) == 1
                ? FakeTransport.Outcomes(recipients, r => r.Address.LocalPart switch
                {
                    "bob" => DeliveryStatus.Delivered,
                    "carol" => DeliveryStatus.Deferred,
                    _ => DeliveryStatus.Failed,
                })
                : FakeTransport.Outcomes(recipients, _ => DeliveryStatus.Delivered)));
        await using var harness = RunnerHarness.Start(Options, _clock, transport, metrics: spool => new QueueMetrics(_recorder.Meter, spool, _clock));

        await TestMessages.CommitAsync(harness.Spool, TestMessages.Envelope("bob@example.net", "carol@example.net", "dave@example.net"), TestMessages.Body());
        await harness.NextAttemptAsync();
        Assert.Equal(1, _recorder.Sum("postern.delivery.attempts", "result=delivered", "transport=local"));
        Assert.Equal(1, _recorder.Sum("postern.delivery.attempts", "result=deferred", "transport=local"));
        Assert.Equal(1, _recorder.Sum("postern.delivery.attempts", "result=failed", "transport=local"));
        Assert.Equal(0, _recorder.Last("postern.delivery.latency", "transport=local"));

        _clock.Advance(Options.RetrySchedule[0]);
        await harness.NextAttemptAsync();
        Assert.Equal(2, _recorder.Sum("postern.delivery.attempts", "result=delivered", "transport=local"));
        Assert.Equal(2, _recorder.Count("postern.delivery.latency"));
        Assert.Equal(Options.RetrySchedule[0].TotalSeconds, _recorder.Last("postern.delivery.latency", "transport=local"));
    }

    [Theory]
    [InlineData("local", "local")]
    [InlineData("esmtp", "relay")]
    [InlineData("error", "other")]
    [InlineData("queue", "other")]
    public void Mailer_names_fold_to_a_fixed_transport_set(string mailer, string transport) =>
        Assert.Equal(transport, QueueMetrics.Transport(mailer));

    [Fact]
    public async Task Queue_size_by_state_comes_from_the_spool_at_most_every_scan_interval()
    {
        var spool = TestMessages.Spool(_directory, _clock);
        var metrics = new QueueMetrics(_recorder.Meter, spool, _clock);
        var fresh = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var held = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        var tried = await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        Assert.True(spool.Control.Hold(held));
        var recipient = TestMessages.Envelope("bob@example.net").Recipients[0];
        var deferral = new RecipientOutcome(recipient, DeliveryStatus.Deferred, new SmtpReply(451, "4.2.0", "busy"), "local", "local");
        Assert.True(spool.Journal.Append(tried, [SpoolEntry.ToJournal(0, deferral, _clock.GetUtcNow())]));

        _recorder.Observe();
        Assert.Equal(1, _recorder.Last("postern.queue.messages", "state=active"));
        Assert.Equal(1, _recorder.Last("postern.queue.messages", "state=deferred"));
        Assert.Equal(1, _recorder.Last("postern.queue.messages", "state=hold"));

        await TestMessages.CommitAsync(spool, TestMessages.Envelope("bob@example.net"), TestMessages.Body());
        _recorder.Observe();
        Assert.Equal(1, _recorder.Last("postern.queue.messages", "state=active"));

        _clock.Advance(QueueMetrics.ScanInterval);
        _recorder.Observe();
        Assert.Equal(2, _recorder.Last("postern.queue.messages", "state=active"));
        GC.KeepAlive(metrics);
        GC.KeepAlive(fresh);
    }
}
