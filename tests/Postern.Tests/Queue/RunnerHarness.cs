using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Queueing;
using Postern.Queue;

namespace Postern.Tests.Queue;

/// <summary>A spool and a running queue runner on one directory, with signals to wait on instead of sleeping.</summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();

    private RunnerHarness(QueueOptions options, FakeTimeProvider clock, FakeTransport transport, RecordingBounceSink bounces, Func<Spool, QueueMetrics>? metrics)
    {
        var committed = new CommittedMessages();
        Spool = new Spool(options, TestMessages.IoThreads, committed, clock, NullLogger<Spool>.Instance);
        Runner = new QueueRunner(Spool, committed, transport, bounces, options, clock, NullLogger<QueueRunner>.Instance)
        {
            AttemptCompleted = (id, result) => Attempts.Writer.TryWrite((id, result)),
            Metrics = metrics?.Invoke(Spool),
        };
        Transport = transport;
        Bounces = bounces;
    }

    public Spool Spool { get; }

    public QueueRunner Runner { get; }

    public FakeTransport Transport { get; }

    public RecordingBounceSink Bounces { get; }

    public Task Running { get; private set; } = Task.CompletedTask;

    public Channel<(QueueId Id, AttemptResult Result)> Attempts { get; } = Channel.CreateUnbounded<(QueueId, AttemptResult)>();

    public static RunnerHarness Start(
        QueueOptions options, FakeTimeProvider clock, FakeTransport transport, RecordingBounceSink? bounces = null, Func<Spool, QueueMetrics>? metrics = null)
    {
        var harness = new RunnerHarness(options, clock, transport, bounces ?? new RecordingBounceSink(), metrics);
        harness.Running = harness.Runner.RunAsync(harness._stop.Token);
        return harness;
    }

    public async Task<(QueueId Id, AttemptResult Result)> NextAttemptAsync() =>
        await Attempts.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>Waits until the runner has scheduled what it found at start.</summary>
    public async Task RecoveredAsync() => await Runner.Recovered.WaitAsync(Timeout);

    public async Task<(QueueId Id, int[] Indices, byte[] Body)> NextCallAsync() =>
        await Transport.Calls.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Running.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
