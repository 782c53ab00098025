using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue.Dsn;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// Delivers queued messages: those recovered at start, then each one as soon as it is committed,
/// at most <see cref="QueueOptions.DeliveryConcurrency"/> at a time. Per-recipient outcomes are
/// journaled (fsynced) before anything else happens; deferred recipients are retried on
/// <see cref="QueueOptions.RetrySchedule"/> (with jitter) until <see cref="QueueOptions.MaxQueueLifetime"/>,
/// then fail; failures go to the <see cref="IBounceSink"/>. Deferrals are journaled with the attempt
/// count and the next attempt time, so a restart resumes the schedule rather than retrying at once.
/// Messages on hold are skipped; <see cref="FlushAsync"/> forces attempts.
/// </summary>
/// <remarks>
/// The transport gets the very <see cref="EnvelopeRecipient"/> instances of
/// <c>message.Envelope.Recipients</c>, so a recipient's index (for deterministic Maildir file
/// names) is the position of the same reference in that list.
/// </remarks>
public sealed partial class QueueRunner : IQueueControl
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
    }

    /// <summary>Delivery attempt and latency instruments; null: metrics are off.</summary>
    public QueueMetrics? Metrics { get; init; }

    /// <summary>Test seam: called after each attempt on a message is fully processed (journaled, rescheduled or removed).</summary>
    internal Action<QueueId, AttemptResult>? AttemptCompleted { get; set; }

    /// <summary>Test seam: the source of retry jitter.</summary>
    internal Random Jitter { get; init; } = Random.Shared;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then stops taking work, lets
    /// in-flight deliveries finish (they see the same token) and returns.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QueueId> recovered;
        try
        {
            recovered = await _spool.Recovery.RecoverAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        foreach (var id in recovered)
        {
            Schedule(id);
        }
        var workers = new List<Task> { PumpCommittedAsync(cancellationToken) };
        for (var i = 0; i < Math.Max(1, _options.DeliveryConcurrency); i++)
        {
            workers.Add(WorkAsync(cancellationToken));
        }
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            lock (_gate)
            {
                foreach (var schedule in _messages.Values)
                {
                    schedule.RetryTimer?.Dispose();
                }
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
                    schedule.RetryTimer?.Dispose();
                    schedule.RetryTimer = null;
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

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(cancellationToken))
            {
                await ProcessAsync(id, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task ProcessAsync(QueueId id, CancellationToken cancellationToken)
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
            (result, delay) = await AttemptAsync(id, schedule, forced, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A broken message or a full disk must not stop the runner: log and retry later.
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
            schedule.RetryTimer?.Dispose();
            schedule.RetryTimer = null;
            if (schedule.Forced && result is AttemptResult.Retry or AttemptResult.Waiting)
            {
                // Flushed while the attempt ran: the flush asked for an attempt after this point.
                schedule.Queued = true;
                _ready.Writer.TryWrite(id);
            }
            else if (result is AttemptResult.Retry or AttemptResult.Waiting)
            {
                schedule.RetryTimer = _clock.CreateTimer(_ => OnRetryDue(id), null, delay, Timeout.InfiniteTimeSpan);
                _logger.RetryScheduled(id.Value, delay);
            }
            else
            {
                _messages.Remove(id);
            }
        }
        AttemptCompleted?.Invoke(id, result);
    }

    private void OnRetryDue(QueueId id)
    {
        lock (_gate)
        {
            if (_messages.TryGetValue(id, out var schedule) && !schedule.Queued)
            {
                schedule.Queued = true;
                _ready.Writer.TryWrite(id);
            }
        }
    }

    private TimeSpan NextDelay(int attempts) => RetrySchedule.Delay(_options.RetrySchedule, attempts, _options.RetryJitter, Jitter);

    private async Task<(AttemptResult Result, TimeSpan Delay)> AttemptAsync(QueueId id, MessageSchedule schedule, bool forced, CancellationToken cancellationToken)
    {
        if (_spool.Inspection.IsHeld(id) && _spool.Inspection.Exists(id))
        {
            _logger.HeldSkipped(id.Value);
            return (AttemptResult.Held, default);
        }
        if (_spool.Reader.Load(id) is not { } entry)
        {
            return (AttemptResult.Dropped, default);
        }
        var pending = entry.Indices(RecipientState.Pending).ToArray();
        if (!schedule.Resumed)
        {
            // First sight of this message in this process: continue its journaled schedule.
            schedule.Resumed = true;
            schedule.Attempts = Math.Max(schedule.Attempts, entry.Attempts);
        }
        // Not due when resumed before the journaled next attempt, or woken early for a report
        // (delay warning, DELIVERBY deadline): then only the reports are made.
        var retryWait = entry.NextAttempt - _clock.GetUtcNow();
        var retryDue = forced || pending.Length == 0 || retryWait is null || retryWait <= EarlyWakeTolerance;
        var deliverBy = entry.Message.Envelope.DeliverBy;

        TimeSpan? retryDelay = null;
        if (pending.Length > 0 && deliverBy is { Mode: DeliverByMode.Return } && _clock.GetUtcNow() >= deliverBy.Deadline)
        {
            // Past an R-mode deadline nothing more is tried: the pending recipients fail at once.
            if (!FailPastDeadline(id, entry, pending))
            {
                return (AttemptResult.Dropped, default);
            }
        }
        else if (pending.Length > 0 && retryDue)
        {
            var asked = pending.Select(i => entry.Message.Envelope.Recipients[i]).ToArray();
            var outcomes = await DeliverAsync(entry.Message, asked, cancellationToken);
            var now = _clock.GetUtcNow();
            var attempts = ++schedule.Attempts;
            retryDelay = NextDelay(attempts);
            var next = now + retryDelay.Value;
            var delay = MailLogFormat.Delay(now - entry.QueuedAt);
            var expired = now - entry.QueuedAt >= _options.MaxQueueLifetime;
            var pastDeadline = deliverBy is { Mode: DeliverByMode.Return } && now >= deliverBy.Deadline;
            var journal = new List<JournalEntry>();
            for (var k = 0; k < pending.Length; k++)
            {
                var index = pending[k];
                var outcome = outcomes[k];
                Log(id, outcome, delay);
                if (outcome.Status == DeliveryStatus.Deferred)
                {
                    if (!expired && !pastDeadline)
                    {
                        Metrics?.Attempted(outcome, now - entry.QueuedAt);
                        var deferral = SpoolEntry.ToJournal(index, outcome, now) with { Attempts = attempts, Next = next };
                        journal.Add(deferral);
                        entry.Deferrals[index] = deferral;
                        continue;
                    }
                    outcome = pastDeadline ? DeadlineExpired(outcome) : Expire(outcome);
                    Log(id, outcome, delay);
                }
                Metrics?.Attempted(outcome, now - entry.QueuedAt);
                journal.Add(SpoolEntry.ToJournal(index, outcome, now));
                if (outcome.Status == DeliveryStatus.Delivered)
                {
                    entry.States[index] = RecipientState.Delivered;
                    entry.Deliveries[index] = outcome;
                }
                else
                {
                    entry.States[index] = RecipientState.Failed;
                    entry.Failures[index] = outcome;
                }
            }
            if (NeedsNothingMore(entry))
            {
                // Every recipient is final and no report is owed: the message goes at once, without
                // first journaling outcomes only to delete the journal (a file create, an fsync and
                // a directory fsync per message). A crash before the removal is durable repeats the
                // delivery, exactly as a crash before the journal would have been durable.
                if (!_spool.Inspection.Exists(id))
                {
                    _logger.DeletedDuringAttempt(id.Value);
                    return (AttemptResult.Dropped, default);
                }
                await _spool.Store.RemoveAsync(id);
                _logger.Done(id.Value);
                return (AttemptResult.Done, default);
            }
            if (!await _spool.Journal.AppendAsync(id, journal))
            {
                _logger.DeletedDuringAttempt(id.Value);
                return (AttemptResult.Dropped, default);
            }
        }

        var fallback = retryDelay ?? (retryDue ? NextDelay(Math.Max(1, schedule.Attempts)) : retryWait!.Value);
        var unbounced = entry.Indices(RecipientState.Failed).ToArray();
        if (unbounced.Length > 0)
        {
            var failures = unbounced.Select(i => entry.Failures[i]!).ToArray();
            switch (await ReportAsync(id, entry, unbounced, failures, DsnAction.Failed, JournalKind.Bounced, cancellationToken))
            {
                case ReportResult.Gone:
                    return (AttemptResult.Dropped, default);
                case ReportResult.Failed:
                    return (AttemptResult.Retry, fallback);
                default:
                    break;
            }
        }
        switch (await ReportNoticesAsync(id, entry, cancellationToken))
        {
            case ReportResult.Gone:
                return (AttemptResult.Dropped, default);
            case ReportResult.Failed:
                return (AttemptResult.Retry, fallback);
            default:
                break;
        }

        if (entry.Indices(RecipientState.Pending).Any())
        {
            var wait = fallback;
            if (NextReportAt(entry) - _clock.GetUtcNow() is { } untilReport && untilReport > TimeSpan.Zero && untilReport < wait)
            {
                wait = untilReport;
            }
            return (retryDue ? AttemptResult.Retry : AttemptResult.Waiting, wait);
        }
        await _spool.Store.RemoveAsync(id);
        _logger.Done(id.Value);
        return (AttemptResult.Done, default);
    }

    /// <summary>The transport's outcomes, or all deferred when it threw or answered out of step.</summary>
    private async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, EnvelopeRecipient[] asked, CancellationToken cancellationToken)
    {
        IReadOnlyList<RecipientOutcome>? outcomes;
        try
        {
            outcomes = await _transport.DeliverAsync(message, asked, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the transport throws, its recipients are deferred, never lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.TransportError(ex, message.Id.Value, ex.Message);
            return Deferral(asked, "Delivery attempt failed: " + MailLogFormat.OneLine(ex.Message));
        }
        if (outcomes is null || outcomes.Count != asked.Length || !outcomes.Select(o => o?.Recipient).SequenceEqual(asked))
        {
            _logger.TransportMismatch(message.Id.Value, asked.Length);
            return Deferral(asked, "Delivery attempt returned no usable result");
        }
        return outcomes;
    }

    private static RecipientOutcome[] Deferral(EnvelopeRecipient[] asked, string text)
    {
        var reply = new SmtpReply(451, new EnhancedStatusCode(4, 3, 0), text);
        return [.. asked.Select(r => new RecipientOutcome(r, DeliveryStatus.Deferred, reply, "queue", "none"))];
    }

    private RecipientOutcome Expire(RecipientOutcome deferred) =>
        deferred with
        {
            Status = DeliveryStatus.Failed,
            Reply = new SmtpReply(
                554,
                new EnhancedStatusCode(5, 4, 7),
                $"Delivery time expired after {_options.MaxQueueLifetime}; last error: {MailLogFormat.OneLine(deferred.Reply.ToString())}"),
        };

    private static RecipientOutcome DeadlineExpired(RecipientOutcome deferred) =>
        deferred with { Status = DeliveryStatus.Failed, Reply = DeadlineReply };

    private void Log(QueueId id, RecipientOutcome outcome, string delay)
    {
        var recipient = outcome.Recipient.Address.ToString();
        var dsn = MailLogFormat.Dsn(outcome.Reply);
        var reply = outcome.Reply.ToString();
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                _logger.Sent(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            case DeliveryStatus.Deferred:
                _logger.Deferred(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
            default:
                _logger.Failed(id.Value, recipient, delay, outcome.Mailer, outcome.Relay, dsn, reply);
                break;
        }
    }
}
