using Postern.Core.Delivery;
using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Queue.Storage;

/// <summary>A committed message as loaded from queue/: the message, when it was queued, and each recipient's state.</summary>
internal sealed class SpoolEntry
{
    public SpoolEntry(QueuedMessage message, DateTimeOffset queuedAt, IReadOnlyList<JournalEntry> journal)
    {
        Message = message;
        QueuedAt = queuedAt;
        var count = message.Envelope.Recipients.Count;
        States = new RecipientState[count];
        Failures = new RecipientOutcome?[count];
        Deferrals = new JournalEntry?[count];
        Deliveries = new RecipientOutcome?[count];
        Warned = new bool[count];
        DeadlineWarned = new bool[count];
        Notified = new bool[count];
        foreach (var entry in journal)
        {
            if (entry.Recipient < 0 || entry.Recipient >= count)
            {
                continue;
            }
            var recipient = message.Envelope.Recipients[entry.Recipient];
            switch (entry.Kind)
            {
                case JournalKind.Delivered when States[entry.Recipient] == RecipientState.Pending:
                    States[entry.Recipient] = RecipientState.Delivered;
                    Deliveries[entry.Recipient] = new RecipientOutcome(
                        recipient, DeliveryStatus.Delivered, ToReply(entry), entry.Mailer ?? "", entry.Relay ?? "")
                    {
                        NextHopLacksDsn = entry.NextHopLacksDsn ?? false,
                    };
                    break;
                case JournalKind.Failed when States[entry.Recipient] == RecipientState.Pending:
                    States[entry.Recipient] = RecipientState.Failed;
                    Failures[entry.Recipient] = new RecipientOutcome(
                        recipient, DeliveryStatus.Failed, ToReply(entry), entry.Mailer ?? "", entry.Relay ?? "");
                    break;
                case JournalKind.Bounced when States[entry.Recipient] == RecipientState.Failed:
                    States[entry.Recipient] = RecipientState.Bounced;
                    break;
                case JournalKind.Deferred:
                    // Attempts and the next attempt are per message: the latest deferral wins.
                    Deferrals[entry.Recipient] = entry;
                    Attempts = Math.Max(Attempts, entry.Attempts ?? 0);
                    NextAttempt = entry.Next ?? NextAttempt;
                    break;
                case JournalKind.Warned:
                    Warned[entry.Recipient] = true;
                    break;
                case JournalKind.DeadlineWarned:
                    DeadlineWarned[entry.Recipient] = true;
                    break;
                case JournalKind.Notified:
                    Notified[entry.Recipient] = true;
                    break;
                default:
                    break;
            }
        }
    }

    public QueuedMessage Message { get; }

    public DateTimeOffset QueuedAt { get; }

    public RecipientState[] States { get; }

    /// <summary>The failure outcome of each failed recipient (for the bounce), else null.</summary>
    public RecipientOutcome?[] Failures { get; }

    /// <summary>The latest deferral of each recipient (meaningful while it is pending), else null.</summary>
    public JournalEntry?[] Deferrals { get; }

    /// <summary>The delivery outcome of each delivered recipient (for a SUCCESS notice), else null.</summary>
    public RecipientOutcome?[] Deliveries { get; }

    /// <summary>Whether each recipient's delay warning was handed over.</summary>
    public bool[] Warned { get; }

    /// <summary>Whether each recipient's DELIVERBY N delay report was handed over.</summary>
    public bool[] DeadlineWarned { get; }

    /// <summary>Whether each recipient's SUCCESS notice was handed over.</summary>
    public bool[] Notified { get; }

    /// <summary>Attempts the message has had so far, as journaled with its deferrals.</summary>
    public int Attempts { get; }

    /// <summary>When the last deferring attempt scheduled the next one; null when never deferred.</summary>
    public DateTimeOffset? NextAttempt { get; }

    /// <summary>Records a final outcome (delivered or failed) of the recipient at <paramref name="index"/>.</summary>
    public void Settle(int index, RecipientOutcome outcome)
    {
        if (outcome.Status == DeliveryStatus.Delivered)
        {
            States[index] = RecipientState.Delivered;
            Deliveries[index] = outcome;
        }
        else
        {
            States[index] = RecipientState.Failed;
            Failures[index] = outcome;
        }
    }

    public IEnumerable<int> Indices(RecipientState state) =>
        Enumerable.Range(0, States.Length).Where(i => States[i] == state);

    public static JournalEntry ToJournal(int index, RecipientOutcome outcome, DateTimeOffset at) => new()
    {
        Recipient = index,
        Kind = outcome.Status switch
        {
            DeliveryStatus.Delivered => JournalKind.Delivered,
            DeliveryStatus.Deferred => JournalKind.Deferred,
            _ => JournalKind.Failed,
        },
        Code = outcome.Reply.Code,
        Status = outcome.Reply.Status?.ToString(),
        Lines = outcome.Reply.Lines,
        Mailer = outcome.Mailer,
        Relay = outcome.Relay,
        At = at,
        NextHopLacksDsn = outcome.Status == DeliveryStatus.Delivered && outcome.NextHopLacksDsn ? true : null,
    };

    // A journal written by an older or damaged process may hold odd replies: fall back rather than fail.
    public static SmtpReply ToReply(JournalEntry entry)
    {
        var status = entry.Status is not null && EnhancedStatusCode.TryParse(entry.Status, out var parsed) ? parsed : (EnhancedStatusCode?)null;
        var code = entry.Code is >= 200 and <= 599 ? entry.Code : 554;
        var lines = entry.Lines is { Count: > 0 } l ? l : [QueueReplies.UnknownFailureText];
        return new SmtpReply(code, status, lines);
    }
}
