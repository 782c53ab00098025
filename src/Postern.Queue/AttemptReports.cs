using Microsoft.Extensions.Logging;
using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Queue.Dsn;
using Postern.Queue.Storage;

namespace Postern.Queue;

/// <summary>
/// The report step of an attempt: bounces for failed recipients, SUCCESS notices, delay warnings
/// and DELIVERBY (RFC 2852) deadline reports. Each report is journaled per recipient once handed
/// over, so a restart never repeats it.
/// </summary>
internal sealed class AttemptReports
{
    private static readonly DsnAction[] NoticeActions = [DsnAction.Delivered, DsnAction.Relayed];

    private readonly Spool _spool;
    private readonly IBounceSink _bounces;
    private readonly QueueOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public AttemptReports(Spool spool, IBounceSink bounces, QueueOptions options, TimeProvider clock, ILogger logger)
    {
        _spool = spool;
        _bounces = bounces;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The bounce for failed recipients not bounced yet, then the notices and delay reports due.</summary>
    public async Task<ReportResult> ReportAsync(QueueId id, SpoolEntry entry, CancellationToken cancellationToken)
    {
        var unbounced = entry.Indices(RecipientState.Failed).ToArray();
        if (unbounced.Length > 0)
        {
            var failures = unbounced.Select(i => entry.Failures[i]!).ToArray();
            var result = await ReportAsync(id, entry, unbounced, failures, DsnAction.Failed, JournalKind.Bounced, cancellationToken);
            if (result != ReportResult.Done)
            {
                return result;
            }
        }
        return await ReportNoticesAsync(id, entry, cancellationToken);
    }

    /// <summary>
    /// True when nothing is left to do for the message after this attempt: no recipient pending or
    /// failed-but-unbounced, and no SUCCESS notice owed. Delay reports concern pending recipients only.
    /// </summary>
    public static bool NeedsNothingMore(SpoolEntry entry)
    {
        var deliverBy = entry.Message.Envelope.DeliverBy;
        for (var i = 0; i < entry.States.Length; i++)
        {
            switch (entry.States[i])
            {
                case RecipientState.Pending or RecipientState.Failed:
                    return false;
                case RecipientState.Delivered when !entry.Notified[i]
                    && entry.Deliveries[i] is { } delivery
                    && NoticeAction(delivery) is { } action
                    && DeliveryStatusReport.Wants(delivery.Recipient, action, deliverBy):
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    /// <summary>SUCCESS notices for delivered recipients, then delay reports for pending ones, each once.</summary>
    private async Task<ReportResult> ReportNoticesAsync(QueueId id, SpoolEntry entry, CancellationToken cancellationToken)
    {
        var deliverBy = entry.Message.Envelope.DeliverBy;
        foreach (var action in NoticeActions)
        {
            var indices = entry.Indices(RecipientState.Delivered)
                .Where(i => !entry.Notified[i]
                    && entry.Deliveries[i] is { } delivery
                    && NoticeAction(delivery) == action
                    && DeliveryStatusReport.Wants(delivery.Recipient, action, deliverBy))
                .ToArray();
            if (indices.Length == 0)
            {
                continue;
            }
            var outcomes = indices.Select(i => entry.Deliveries[i]!).ToArray();
            var result = await ReportAsync(id, entry, indices, outcomes, action, JournalKind.Notified, cancellationToken);
            if (result != ReportResult.Done)
            {
                return result;
            }
        }

        var now = _clock.GetUtcNow();
        var warn = DelayWarningDue(entry, now);
        var deadline = DeadlineWarningDue(entry, now);
        if (warn.Length == 0 && deadline.Length == 0)
        {
            return ReportResult.Done;
        }
        // One report for both when they fall due together; each recipient journaled for what was due.
        var listed = warn.Union(deadline).Order().ToArray();
        var delayed = listed.Select(i => Deferred(entry, i)).ToArray();
        var journal = warn.Select(i => (i, JournalKind.Warned)).Concat(deadline.Select(i => (i, JournalKind.DeadlineWarned))).ToArray();
        return await ReportAsync(id, entry, delayed, DsnAction.Delayed, journal, cancellationToken);
    }

    /// <summary>
    /// Delivered locally, or into a mailbox server over LMTP that takes no DSN request: "delivered";
    /// to an SMTP next hop without DSN: "relayed"; a next hop with DSN reports itself.
    /// </summary>
    private static DsnAction? NoticeAction(RecipientOutcome delivery) =>
        delivery.NextHopLacksDsn ? (delivery.Mailer == "lmtp" ? DsnAction.Delivered : DsnAction.Relayed)
        : delivery.Mailer == "local" ? DsnAction.Delivered
        : null;

    private int[] DelayWarningDue(SpoolEntry entry, DateTimeOffset now) =>
        _options.DelayWarning > TimeSpan.Zero && now - entry.QueuedAt >= _options.DelayWarning
            ? [.. entry.Indices(RecipientState.Pending).Where(i => !entry.Warned[i] && WantsDelay(entry, i))]
            : [];

    private static int[] DeadlineWarningDue(SpoolEntry entry, DateTimeOffset now) =>
        entry.Message.Envelope.DeliverBy is { Mode: DeliverByMode.Notify } by && now >= by.Deadline
            ? [.. entry.Indices(RecipientState.Pending).Where(i => !entry.DeadlineWarned[i] && WantsDelay(entry, i))]
            : [];

    private static bool WantsDelay(SpoolEntry entry, int index) =>
        DeliveryStatusReport.Wants(entry.Message.Envelope.Recipients[index], DsnAction.Delayed);

    /// <summary>
    /// When a report falls due for a pending recipient with no attempt needed (the delay warning,
    /// a DELIVERBY deadline), so the runner wakes for it; null when none is ahead.
    /// </summary>
    public DateTimeOffset? NextReportAt(SpoolEntry entry)
    {
        var pending = entry.Indices(RecipientState.Pending).ToArray();
        DateTimeOffset? at = null;
        if (_options.DelayWarning > TimeSpan.Zero && pending.Any(i => !entry.Warned[i] && WantsDelay(entry, i)))
        {
            at = entry.QueuedAt + _options.DelayWarning;
        }
        if (entry.Message.Envelope.DeliverBy is { } by
            && (by.Mode == DeliverByMode.Return || pending.Any(i => !entry.DeadlineWarned[i] && WantsDelay(entry, i)))
            && (at is null || by.Deadline < at))
        {
            at = by.Deadline;
        }
        return at;
    }

    /// <summary>The pending recipient's latest deferral as an outcome, for a delay report.</summary>
    private static RecipientOutcome Deferred(SpoolEntry entry, int index)
    {
        var recipient = entry.Message.Envelope.Recipients[index];
        return entry.Deferrals[index] is { } deferral
            ? new RecipientOutcome(recipient, DeliveryStatus.Deferred, SpoolEntry.ToReply(deferral), deferral.Mailer ?? "", deferral.Relay ?? "")
            : new RecipientOutcome(recipient, DeliveryStatus.Deferred, QueueReplies.Delayed, "queue", "none");
    }

    private Task<ReportResult> ReportAsync(
        QueueId id, SpoolEntry entry, int[] indices, RecipientOutcome[] outcomes, DsnAction action, JournalKind kind, CancellationToken cancellationToken) =>
        ReportAsync(id, entry, outcomes, action, [.. indices.Select(i => (i, kind))], cancellationToken);

    /// <summary>Hands one report to the sink, then journals each listed recipient as reported.</summary>
    private async Task<ReportResult> ReportAsync(
        QueueId id,
        SpoolEntry entry,
        RecipientOutcome[] outcomes,
        DsnAction action,
        (int Index, JournalKind Kind)[] journal,
        CancellationToken cancellationToken)
    {
        if (!_spool.Inspection.Exists(id))
        {
            _logger.DeletedDuringAttempt(id.Value);
            return ReportResult.Gone;
        }
        DateTimeOffset? willRetryUntil = action == DsnAction.Delayed ? entry.QueuedAt + _options.MaxQueueLifetime : null;
        try
        {
            await _bounces.ReportAsync(entry.Message, outcomes, action, willRetryUntil, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The recipients stay unreported and are handed over again on the next attempt.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.BounceFailed(ex, id.Value, ex.Message);
            return ReportResult.Failed;
        }
        var at = _clock.GetUtcNow();
        if (!_spool.Journal.Append(id, [.. journal.Select(j => new JournalEntry { Recipient = j.Index, Kind = j.Kind, At = at })]))
        {
            _logger.DeletedDuringAttempt(id.Value);
            return ReportResult.Gone;
        }
        foreach (var (index, kind) in journal)
        {
            switch (kind)
            {
                case JournalKind.Bounced:
                    entry.States[index] = RecipientState.Bounced;
                    break;
                case JournalKind.Warned:
                    entry.Warned[index] = true;
                    break;
                case JournalKind.DeadlineWarned:
                    entry.DeadlineWarned[index] = true;
                    break;
                case JournalKind.Notified:
                    entry.Notified[index] = true;
                    break;
                default:
                    break;
            }
        }
        return ReportResult.Done;
    }
}
