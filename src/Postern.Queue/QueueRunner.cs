using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue.Spooling;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// Schedules delivery of queued messages: those recovered at start, then each one as soon as it is
/// committed (<see cref="CommittedMessages"/>), at most <see cref="QueueOptions.DeliveryConcurrency"/> at a time. Per-recipient outcomes are
/// journaled (fsynced) before anything else happens; deferred recipients are retried on
/// <see cref="QueueOptions.RetrySchedule"/> (with jitter) until <see cref="QueueOptions.MaxQueueLifetime"/>,
/// then fail; failures go to the <see cref="IBounceSink"/>. Deferrals are journaled with the attempt
/// count and the next attempt time, so a restart resumes the schedule rather than retrying at once:
/// recovery reads each message once and the runner only notes when it is due. Waiting messages are
/// held in one <see cref="DueTimes"/> (one timer for the queue, not one per message).
/// Messages on hold are skipped; <see cref="FlushAsync"/> forces attempts.
/// </summary>
/// <remarks>
/// This class decides which message is attempted when; <see cref="MessageAttempts"/> runs each
/// attempt (deliver, journal, report).
/// </remarks>
public sealed class QueueRunner : IQueueControl
{
    private readonly Spool _spool;
    private readonly CommittedMessages _committed;
    private readonly ITransport _transport;
    private readonly IBounceSink _bounces;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<QueueRunner> _logger;
    private readonly Channel<QueueId> _ready = Channel.CreateUnbounded<QueueId>();
    private readonly Dictionary<QueueId, MessageSchedule> _messages = [];
    private readonly Lock _gate = new();
    private readonly DueTimes _dueTimes;
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="spool">The spool the messages are in.</param>
    /// <param name="committed">Where the spool reports each commit: the runner attempts those messages at once.</param>
    /// <param name="transport">Delivers.</param>
    /// <param name="bounces">Takes the failure, delay and success reports.</param>
    /// <param name="options">Concurrency, retry schedule, lifetime.</param>
    /// <param name="clock">The clock for schedules and deadlines.</param>
    /// <param name="logger">The mail log.</param>
    public QueueRunner(
        Spool spool, CommittedMessages committed, ITransport transport, IBounceSink bounces, QueueOptions options, TimeProvider clock, ILogger<QueueRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _spool = spool;
        _committed = committed;
        _transport = transport;
        _bounces = bounces;
        _options = options;
        _clock = clock;
        _logger = logger;
        _dueTimes = new DueTimes(clock, OnRetryDue);
    }

    /// <summary>Delivery attempt and latency instruments; null: metrics are off.</summary>
    public QueueMetrics? Metrics { get; init; }

    /// <summary>Test seam: called after each attempt on a message is fully processed (journaled, rescheduled or removed).</summary>
    internal Action<QueueId, AttemptResult>? AttemptCompleted { get; set; }

    /// <summary>Test seam: completes once the messages found at start are scheduled (attempted at once, or waiting for their time).</summary>
    internal Task Recovered => _recovered.Task;

    /// <summary>Test seam: the source of retry jitter.</summary>
    internal Random Jitter { get; init; } = Random.Shared;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then stops taking work, lets
    /// in-flight deliveries finish (they see the same token) and returns.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempts = new MessageAttempts(
            _spool, _transport, new AttemptReports(_spool, _bounces, _options, _clock, _logger), _options, _clock, _logger, Metrics, NextDelay);
        IReadOnlyList<RecoveredMessage> recovered;
        try
        {
            recovered = await _spool.Recovery.RecoverAsync(attempts.ResumeAt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _recovered.TrySetCanceled(cancellationToken);
            return;
        }
        foreach (var message in recovered)
        {
            if (message.DueAt is { } dueAt)
            {
                // Deferred with its next attempt ahead: it waits without being read again.
                Wait(message.Id, dueAt);
            }
            else
            {
                Schedule(message.Id);
            }
        }
        _recovered.TrySetResult();
        var workers = new List<Task> { PumpCommittedAsync(cancellationToken) };
        for (var i = 0; i < Math.Max(1, _options.DeliveryConcurrency); i++)
        {
            workers.Add(WorkAsync(attempts, cancellationToken));
        }
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            lock (_gate)
            {
                _dueTimes.Stop();
                _messages.Clear();
            }
        }
    }

    /// <summary>
    /// Finds messages the runner does not know (released from hold, or put in queue/ while it ran)
    /// and schedules them; known ones keep their schedule. <c>postern queue release</c> signals
    /// the daemon, which calls this.
    /// </summary>
    public void Rescan()
    {
        foreach (var id in _spool.Inspection.Scan())
        {
            Schedule(id);
        }
    }

    /// <summary>
    /// Schedules an immediate attempt for every message not on hold, or only those with a pending
    /// recipient in <paramref name="domain"/> or its subdomains; returns how many. A message in the
    /// middle of an attempt counts, and is not attempted twice at once.
    /// </summary>
    public ValueTask<int> FlushAsync(string? domain, CancellationToken cancellationToken) =>
        new(Task.Run(() => Flush(domain is null ? null : domain.Trim().TrimStart('@').TrimEnd('.'), cancellationToken), cancellationToken));

    private int Flush(string? domain, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var id in _spool.Inspection.Scan())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_spool.Inspection.IsHeld(id))
            {
                continue;
            }
            if (!string.IsNullOrEmpty(domain))
            {
                if (_spool.Reader.Load(id) is not { } entry
                    || !entry.Indices(RecipientState.Pending).Any(i => InDomain(entry.Message.Envelope.Recipients[i].Address.Domain, domain)))
                {
                    continue;
                }
            }
            count++;
            lock (_gate)
            {
                if (!_messages.TryGetValue(id, out var schedule))
                {
                    schedule = new MessageSchedule();
                    _messages.Add(id, schedule);
                }
                schedule.Forced = true;
                if (!schedule.Queued)
                {
                    schedule.DueAt = null;
                    schedule.Queued = true;
                    _ready.Writer.TryWrite(id);
                }
            }
        }
        _logger.Flushed(string.IsNullOrEmpty(domain) ? "(all)" : domain, count);
        return count;
    }

    private static bool InDomain(string recipientDomain, string domain) =>
        recipientDomain.Equals(domain, StringComparison.OrdinalIgnoreCase)
        || recipientDomain.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    /// <summary>Makes a recovered message known, waiting until <paramref name="dueAt"/>.</summary>
    private void Wait(QueueId id, DateTimeOffset dueAt)
    {
        if (dueAt <= _clock.GetUtcNow())
        {
            // Came due while recovery read the rest of the queue.
            Schedule(id);
            return;
        }
        lock (_gate)
        {
            if (_messages.TryAdd(id, new MessageSchedule { DueAt = dueAt }))
            {
                _dueTimes.Add(id, dueAt);
            }
        }
    }

    /// <summary>Queues <paramref name="id"/> for an attempt unless it is already known (waiting or in flight).</summary>
    private void Schedule(QueueId id)
    {
        lock (_gate)
        {
            if (!_messages.TryAdd(id, new MessageSchedule { Queued = true }))
            {
                return;
            }
            _ready.Writer.TryWrite(id);
        }
    }

    private async Task PumpCommittedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var id in _committed.Reader.ReadAllAsync(cancellationToken))
            {
                Schedule(id);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task WorkAsync(MessageAttempts attempts, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(cancellationToken))
            {
                await ProcessAsync(attempts, id, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task ProcessAsync(MessageAttempts attempts, QueueId id, CancellationToken cancellationToken)
    {
        MessageSchedule? schedule;
        bool forced;
        lock (_gate)
        {
            if (!_messages.TryGetValue(id, out schedule))
            {
                return;
            }
            forced = schedule.Forced;
            schedule.Forced = false;
        }

        AttemptResult result;
        TimeSpan delay;
        try
        {
            (result, delay) = await attempts.RunAsync(id, schedule, forced, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk or a permission problem is the system's state, not a bug: one line per retry
            // naming the condition, no stack trace filling the log while the administrator frees space.
            _logger.ProcessingFailedOnSystem(id.Value, ex.Message);
            result = AttemptResult.Retry;
            delay = NextDelay(Math.Max(1, schedule.Attempts));
        }
#pragma warning disable CA1031 // A broken message must not stop the runner: log with its trace and retry later.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.ProcessingFailed(ex, id.Value, ex.Message);
            result = AttemptResult.Retry;
            delay = NextDelay(Math.Max(1, schedule.Attempts));
        }

        lock (_gate)
        {
            schedule.Queued = false;
            schedule.DueAt = null;
            if (schedule.Forced && result is AttemptResult.Retry or AttemptResult.Waiting)
            {
                // Flushed while the attempt ran: the flush asked for an attempt after this point.
                schedule.Queued = true;
                _ready.Writer.TryWrite(id);
            }
            else if (result is AttemptResult.Retry or AttemptResult.Waiting)
            {
                var dueAt = _clock.GetUtcNow() + delay;
                schedule.DueAt = dueAt;
                _dueTimes.Add(id, dueAt);
                _logger.RetryScheduled(id.Value, delay);
            }
            else
            {
                _messages.Remove(id);
            }
        }
        AttemptCompleted?.Invoke(id, result);
    }

    /// <summary>A wait came due: queues the message unless the wait went stale (flushed, or waiting for a later time since).</summary>
    private void OnRetryDue(QueueId id, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (_messages.TryGetValue(id, out var schedule) && !schedule.Queued && schedule.DueAt == dueAt)
            {
                schedule.DueAt = null;
                schedule.Queued = true;
                _ready.Writer.TryWrite(id);
            }
        }
    }

    private TimeSpan NextDelay(int attempts) => RetrySchedule.Delay(_options.RetrySchedule, attempts, _options.RetryJitter, Jitter);
}
