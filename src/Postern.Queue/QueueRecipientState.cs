namespace Postern.Queue;

/// <summary>Where one recipient of a queued message stands, as its journal records it.</summary>
public enum QueueRecipientState
{
    /// <summary>Not tried yet.</summary>
    Pending,

    Delivered,

    /// <summary>Failed permanently; the bounce is still to be sent.</summary>
    Failed,

    /// <summary>Failed, and the failure was handed to the bounce sink.</summary>
    Bounced,

    /// <summary>Tried and deferred (temporary failure): retried on the schedule.</summary>
    Deferred,
}
