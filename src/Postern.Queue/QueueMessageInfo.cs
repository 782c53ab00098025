using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>A queued message as <c>postern queue show</c> presents it: envelope, recipient states and its bytes.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="Envelope">The envelope as queued.</param>
/// <param name="Size">The message size in bytes (without the spool's own header and trailer).</param>
/// <param name="QueuedAt">When the spool took the message.</param>
/// <param name="Recipients">Every recipient of the envelope, in order, with its state.</param>
/// <param name="OpenBody">Opens the message bytes for reading (the caller disposes the stream).</param>
public sealed record QueueMessageInfo(
    QueueId Id,
    Envelope Envelope,
    long Size,
    DateTimeOffset QueuedAt,
    IReadOnlyList<QueueRecipientStatus> Recipients,
    Func<Stream> OpenBody)
{
    /// <summary>On hold (<c>postern queue hold</c>): the runner does not attempt it.</summary>
    public bool Held { get; init; }

    /// <summary>
    /// Why it is held when policy quarantined it (QUARANTINE:reason); null when not held, or held
    /// by <c>postern queue hold</c>. <c>postern queue release</c> ends the quarantine.
    /// </summary>
    public string? QuarantineReason { get; init; }

    /// <summary>Delivery attempts so far, as journaled with deferrals (0 when never deferred).</summary>
    public int Attempts { get; init; }

    /// <summary>When the runner tries it next, when an attempt deferred it; null otherwise.</summary>
    public DateTimeOffset? NextAttempt { get; init; }
}
