namespace Postern.Queue.Storage;

internal enum JournalKind
{
    Delivered,
    Failed,
    Bounced,

    /// <summary>An attempt deferred the recipient; carries the reply, the attempt count and the next attempt time.</summary>
    Deferred,

    /// <summary>The delay warning (<see cref="QueueOptions.DelayWarning"/>) for the recipient was handed to the bounce sink.</summary>
    Warned,

    /// <summary>The DELIVERBY N deadline passed while the recipient was pending and the delay report was handed over.</summary>
    DeadlineWarned,

    /// <summary>The SUCCESS notice (delivered or relayed) for the delivered recipient was handed over.</summary>
    Notified,
}
