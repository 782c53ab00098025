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
    Func<Stream> OpenBody);
