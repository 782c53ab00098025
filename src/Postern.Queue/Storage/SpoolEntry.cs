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
                    break;
                case JournalKind.Failed when States[entry.Recipient] == RecipientState.Pending:
                    States[entry.Recipient] = RecipientState.Failed;
                    Failures[entry.Recipient] = new RecipientOutcome(
                        recipient, DeliveryStatus.Failed, ToReply(entry), entry.Mailer ?? "", entry.Relay ?? "");
                    break;
                case JournalKind.Bounced when States[entry.Recipient] == RecipientState.Failed:
                    States[entry.Recipient] = RecipientState.Bounced;
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

    public IEnumerable<int> Indices(RecipientState state) =>
        Enumerable.Range(0, States.Length).Where(i => States[i] == state);

    public static JournalEntry ToJournal(int index, RecipientOutcome outcome, DateTimeOffset at) => new()
    {
        Recipient = index,
        Kind = outcome.Status == DeliveryStatus.Delivered ? JournalKind.Delivered : JournalKind.Failed,
        Code = outcome.Reply.Code,
        Status = outcome.Reply.Status?.ToString(),
        Lines = outcome.Reply.Lines,
        Mailer = outcome.Mailer,
        Relay = outcome.Relay,
        At = at,
    };

    // A journal written by an older or damaged process may hold odd replies: fall back rather than fail.
    public static SmtpReply ToReply(JournalEntry entry)
    {
        var status = entry.Status is not null && EnhancedStatusCode.TryParse(entry.Status, out var parsed) ? parsed : (EnhancedStatusCode?)null;
        var code = entry.Code is >= 200 and <= 599 ? entry.Code : 554;
        var lines = entry.Lines is { Count: > 0 } l ? l : ["Delivery failed"];
        return new SmtpReply(code, status, lines);
    }
}
