using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// One delivery attempt on one queued message, in steps: load it and pick the pending
/// recipients, each with its envelope position; deliver them through the transport (which routes
/// each to local delivery or the relay); journal every outcome (fsynced before anything else
/// happens); report (bounces, notices, delay warnings); and tell the runner when the message
/// needs it again. Per-recipient state lives in the spool, so an attempt survives a restart.
/// </summary>
internal sealed class MessageAttempts
{
    /// <summary>A timer may fire a little before the journaled next attempt; that still counts as due.</summary>
    private static readonly TimeSpan EarlyWakeTolerance = TimeSpan.FromSeconds(1);

    private readonly Spool _spool;
    private readonly ITransport _transport;
    private readonly AttemptReports _reports;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly QueueMetrics? _metrics;
    private readonly Func<int, TimeSpan> _retryDelay;

    /// <param name="spool">Where the message and its journal are.</param>
    /// <param name="transport">Delivers (and routes).</param>
    /// <param name="reports">The report step.</param>
    /// <param name="options">The queue lifetime.</param>
    /// <param name="clock">The clock for ages and deadlines.</param>
    /// <param name="logger">The mail log.</param>
    /// <param name="metrics">Attempt instruments; null when metrics are off.</param>
    /// <param name="retryDelay">The wait before the next attempt, after the given number of attempts.</param>
    public MessageAttempts(
        Spool spool, ITransport transport, AttemptReports reports, QueueOptions options, TimeProvider clock, ILogger logger, QueueMetrics? metrics, Func<int, TimeSpan> retryDelay)
    {
        _spool = spool;
        _transport = transport;
        _reports = reports;
        _options = options;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _retryDelay = retryDelay;
    }

    /// <summary>Attempts the message; the result, and for a message still queued, the wait before the runner takes it again.</summary>
    public async Task<(AttemptResult Result, TimeSpan Delay)> RunAsync(QueueId id, MessageSchedule schedule, bool forced, CancellationToken cancellationToken)
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
        if (!schedule.Resumed)
        {
            // First sight of this message in this process: continue its journaled schedule.
            schedule.Resumed = true;
            schedule.Attempts = Math.Max(schedule.Attempts, entry.Attempts);
        }
        var pending = entry.Indices(RecipientState.Pending).ToArray();
        // Not due when resumed before the journaled next attempt, or woken early for a report
        // (delay warning, DELIVERBY deadline): then only the reports are made.
        var retryWait = entry.NextAttempt - _clock.GetUtcNow();
        var retryDue = forced || pending.Length == 0 || retryWait is null || retryWait <= EarlyWakeTolerance;

        TimeSpan? retryDelay = null;
        if (pending.Length > 0 && ReturnDue(entry, _clock.GetUtcNow()))
        {
            // Past an R-mode deadline nothing more is tried: the pending recipients fail at once.
            if (!FailPastDeadline(id, entry, pending))
            {
                return (AttemptResult.Dropped, default);
            }
        }
        else if (pending.Length > 0 && retryDue)
        {
            var outcomes = await DeliverAsync(entry.Message, Recipients(entry, pending), cancellationToken);
            var attempts = ++schedule.Attempts;
            retryDelay = _retryDelay(attempts);
            var journal = Journal(id, entry, pending, outcomes, attempts, retryDelay.Value);
            if (await StoreAsync(id, entry, journal) is { } ended)
            {
                return (ended, default);
            }
        }

        var fallback = retryDelay ?? (retryDue ? _retryDelay(Math.Max(1, schedule.Attempts)) : retryWait!.Value);
        switch (await _reports.ReportAsync(id, entry, cancellationToken))
        {
            case ReportResult.Gone:
                return (AttemptResult.Dropped, default);
            case ReportResult.Failed:
                return (AttemptResult.Retry, fallback);
            default:
                return await NextAsync(id, entry, retryDue, fallback);
        }
    }

    /// <summary>
    /// When a message found at start first needs an attempt, from its envelope and journal as
    /// recovery read them; null: at once. It is the time <see cref="RunAsync"/> would wait for on
    /// first sight (the journaled next attempt, or a report due earlier), so the runner can wait
    /// for it without reading the message a second time.
    /// </summary>
    public DateTimeOffset? ResumeAt(SpoolEntry entry)
    {
        var now = _clock.GetUtcNow();
        if (entry.NextAttempt is not { } next || next - now <= EarlyWakeTolerance
            || !entry.Indices(RecipientState.Pending).Any() || ReturnDue(entry, now))
        {
            return null;
        }
        if (_reports.NextReportAt(entry) is { } report && report < next)
        {
            return report <= now ? null : report;
        }
        return next;
    }

    /// <summary>The one DELIVERBY check: from an R-mode deadline on, nothing is tried and a deferral is final.</summary>
    private static bool ReturnDue(SpoolEntry entry, DateTimeOffset now) => entry.Message.Envelope.DeliverBy?.ReturnDue(now) == true;

    private static DeliveryRecipient[] Recipients(SpoolEntry entry, int[] pending) =>
        [.. pending.Select(i => new DeliveryRecipient(i, entry.Message.Envelope.Recipients[i]))];

    /// <summary>The deliver step: the transport's outcomes, or all deferred when it threw or answered out of step.</summary>
    private async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(QueuedMessage message, DeliveryRecipient[] asked, CancellationToken cancellationToken)
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
            return Deferral(asked, QueueReplies.AttemptFailed(ex.Message));
        }
        if (outcomes is null || outcomes.Count != asked.Length || !outcomes.Select(o => o?.Recipient).SequenceEqual(asked.Select(a => a.Recipient)))
        {
            _logger.TransportMismatch(message.Id.Value, asked.Length);
            return Deferral(asked, QueueReplies.NoUsableResult);
        }
        return outcomes;
    }

    private static RecipientOutcome[] Deferral(DeliveryRecipient[] asked, SmtpReply reply) =>
        [.. asked.Select(r => new RecipientOutcome(r.Recipient, DeliveryStatus.Deferred, reply, "queue", "none"))];

    /// <summary>
    /// The journal step: logs each outcome and records it in <paramref name="entry"/>; a deferral
    /// past the queue lifetime or the DELIVERBY deadline becomes a failure. Returns the entries to
    /// make durable.
    /// </summary>
    private List<JournalEntry> Journal(QueueId id, SpoolEntry entry, int[] pending, IReadOnlyList<RecipientOutcome> outcomes, int attempts, TimeSpan retryDelay)
    {
        var now = _clock.GetUtcNow();
        var age = now - entry.QueuedAt;
        var delay = MailLogFormat.Delay(age);
        var expired = age >= _options.MaxQueueLifetime;
        var pastDeadline = ReturnDue(entry, now);
        var journal = new List<JournalEntry>(pending.Length);
        for (var k = 0; k < pending.Length; k++)
        {
            var index = pending[k];
            var outcome = outcomes[k];
            _logger.Outcome(id, outcome, delay);
            if (outcome.Status == DeliveryStatus.Deferred)
            {
                if (!expired && !pastDeadline)
                {
                    _metrics?.Attempted(outcome, age);
                    var deferral = SpoolEntry.ToJournal(index, outcome, now) with { Attempts = attempts, Next = now + retryDelay };
                    journal.Add(deferral);
                    entry.Deferrals[index] = deferral;
                    continue;
                }
                var reply = pastDeadline ? QueueReplies.DeliverByExpired : QueueReplies.LifetimeExpired(_options.MaxQueueLifetime, outcome.Reply);
                outcome = outcome with { Status = DeliveryStatus.Failed, Reply = reply };
                _logger.Outcome(id, outcome, delay);
            }
            _metrics?.Attempted(outcome, age);
            journal.Add(SpoolEntry.ToJournal(index, outcome, now));
            entry.Settle(index, outcome);
        }
        return journal;
    }

    /// <summary>
    /// Makes the attempt's outcomes durable; the result when the message ended here (removed, or
    /// deleted meanwhile), null when it goes on to the report step.
    /// </summary>
    private async Task<AttemptResult?> StoreAsync(QueueId id, SpoolEntry entry, List<JournalEntry> journal)
    {
        if (AttemptReports.NeedsNothingMore(entry))
        {
            // Every recipient is final and no report is owed: the message goes at once, without
            // first journaling outcomes only to delete the journal (a file create, an fsync and
            // a directory fsync per message). A crash before the removal is durable repeats the
            // delivery, exactly as a crash before the journal would have been durable.
            if (!_spool.Inspection.Exists(id))
            {
                _logger.DeletedDuringAttempt(id.Value);
                return AttemptResult.Dropped;
            }
            return await RemoveAsync(id);
        }
        if (!await _spool.Journal.AppendAsync(id, journal))
        {
            _logger.DeletedDuringAttempt(id.Value);
            return AttemptResult.Dropped;
        }
        return null;
    }

    /// <summary>Fails every pending recipient of a message past its R-mode deadline, without an attempt; false when the message is gone.</summary>
    private bool FailPastDeadline(QueueId id, SpoolEntry entry, int[] pending)
    {
        var now = _clock.GetUtcNow();
        var delay = MailLogFormat.Delay(now - entry.QueuedAt);
        var journal = new List<JournalEntry>(pending.Length);
        foreach (var index in pending)
        {
            var recipient = entry.Message.Envelope.Recipients[index];
            var last = entry.Deferrals[index];
            var outcome = new RecipientOutcome(recipient, DeliveryStatus.Failed, QueueReplies.DeliverByExpired, last?.Mailer ?? "queue", last?.Relay ?? "none");
            _logger.Outcome(id, outcome, delay);
            journal.Add(SpoolEntry.ToJournal(index, outcome, now));
            entry.Settle(index, outcome);
        }
        if (_spool.Journal.Append(id, journal))
        {
            return true;
        }
        _logger.DeletedDuringAttempt(id.Value);
        return false;
    }

    /// <summary>After the reports: the wait until the next retry or report for a message still pending, else its removal.</summary>
    private async Task<(AttemptResult Result, TimeSpan Delay)> NextAsync(QueueId id, SpoolEntry entry, bool retryDue, TimeSpan fallback)
    {
        if (entry.Indices(RecipientState.Pending).Any())
        {
            var wait = fallback;
            if (_reports.NextReportAt(entry) - _clock.GetUtcNow() is { } untilReport && untilReport > TimeSpan.Zero && untilReport < wait)
            {
                wait = untilReport;
            }
            return (retryDue ? AttemptResult.Retry : AttemptResult.Waiting, wait);
        }
        return (await RemoveAsync(id), default);
    }

    private async Task<AttemptResult> RemoveAsync(QueueId id)
    {
        await _spool.Store.RemoveAsync(id);
        _logger.Done(id.Value);
        return AttemptResult.Done;
    }
}
