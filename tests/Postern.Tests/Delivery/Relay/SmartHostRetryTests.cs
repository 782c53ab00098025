using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue;
using Postern.Queue.Dsn;
using Postern.Testing.Smtp;
using Postern.Tests.Queue;
using QueueMessages = Postern.Tests.Queue.TestMessages;

namespace Postern.Tests.Delivery.Relay;

/// <summary>The queue runner and the relay client together, on a fake clock: retries follow the schedule, no sleeping.</summary>
public sealed class SmartHostRetryTests
{
    [Fact]
    public async Task A_smart_host_that_defers_three_times_then_accepts_gets_the_message_once_on_the_fourth_attempt()
    {
        var rcptCommands = 0;
        await using var sink = new SmtpSink(new SinkOptions
        {
            RcptReply = _ => Interlocked.Increment(ref rcptCommands) <= 3 ? "451 4.3.0 Busy, try again later" : null,
        });
        using var directory = new TempSpoolDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = QueueMessages.Options(directory) with
        {
            RetrySchedule = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)],
        };
        var committed = new CommittedMessages();
        var spool = new Spool(options, QueueMessages.IoThreads, committed, clock, NullLogger<Spool>.Instance);
        await using var transport = RelayTestSupport.Transport(RelayTestSupport.Route(sink), time: clock);
        var bounces = new DsnBounceSink(spool, "postern.test", "postmaster@postern.test", clock, NullLogger<DsnBounceSink>.Instance);
        var attempts = System.Threading.Channels.Channel.CreateUnbounded<AttemptResult>();
        var runner = new QueueRunner(spool, committed, transport, bounces, options, clock, NullLogger<QueueRunner>.Instance)
        {
            AttemptCompleted = (_, result) => attempts.Writer.TryWrite(result),
        };
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);

        await QueueMessages.CommitAsync(spool, QueueMessages.Envelope("bob@remote.example"), QueueMessages.Body());
        foreach (var wait in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5) })
        {
            clock.Advance(wait);
            Assert.Equal(AttemptResult.Retry, await attempts.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout));
            Assert.Empty(sink.Messages);
        }
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.False(attempts.Reader.TryRead(out _), "retried before the schedule said");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AttemptResult.Done, await attempts.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout));

        var delivered = Assert.Single(sink.Messages);
        Assert.Equal(["RCPT TO:<bob@remote.example>"], delivered.Recipients);
        Assert.Equal(4, rcptCommands);
        Assert.Empty(TempSpoolDirectory.Names(directory.Queue));
        await stop.CancelAsync();
        await running.WaitAsync(RunnerHarness.Timeout);
    }

    /// <summary>The queue runner checks an R-mode DELIVERBY deadline before it hands a recipient to any transport.</summary>
    [Fact]
    public async Task A_return_mode_deadline_already_past_fails_without_connecting()
    {
        await using var sink = new SmtpSink(new SinkOptions { DeliverBy = "60" });
        using var directory = new TempSpoolDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = QueueMessages.Options(directory);
        await using var transport = RelayTestSupport.Transport(RelayTestSupport.Route(sink), time: clock);
        // The real relay transport behind the runner (the message has one recipient: all of them).
        var relay = new FakeTransport(async (message, _, cancellationToken) => await transport.DeliverAsync(message, DeliveryRecipient.AllOf(message.Envelope), cancellationToken));
        await using var harness = RunnerHarness.Start(options, clock, relay);
        var envelope = QueueMessages.Envelope("bob@remote.example") with { DeliverBy = new DeliverBy(clock.GetUtcNow(), DeliverByMode.Return, false) };

        var id = await QueueMessages.CommitAsync(harness.Spool, envelope, QueueMessages.Body());

        Assert.Equal((id, AttemptResult.Done), await harness.NextAttemptAsync());
        var (_, failures) = await harness.Bounces.Reports.Reader.ReadAsync().AsTask().WaitAsync(RunnerHarness.Timeout);
        var failure = Assert.Single(failures);
        Assert.Equal(DeliveryStatus.Failed, failure.Status);
        Assert.StartsWith("554 5.4.7", failure.Reply.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, sink.Connections);
    }
}
