namespace Postern.Queue.Storage;

internal enum JournalKind
{
    Delivered,
    Failed,
    Bounced,

    /// <summary>An attempt deferred the recipient; carries the reply, the attempt count and the next attempt time.</summary>
    Deferred,
}
