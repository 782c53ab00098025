using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>One queued message as <c>mailq</c> shows it.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="Sender">The reverse path; null is the null sender &lt;&gt;.</param>
/// <param name="RecipientCount">All recipients of the envelope.</param>
/// <param name="Size">The message size in bytes (without the spool's own header and trailer).</param>
/// <param name="QueuedAt">When the spool took the message.</param>
/// <param name="Age">How long it has been queued, at the time of listing.</param>
/// <param name="PendingRecipients">Recipients neither delivered nor failed yet.</param>
public sealed record QueueEntry(
    QueueId Id,
    Mailbox? Sender,
    int RecipientCount,
    long Size,
    DateTimeOffset QueuedAt,
    TimeSpan Age,
    IReadOnlyList<Mailbox> PendingRecipients);
