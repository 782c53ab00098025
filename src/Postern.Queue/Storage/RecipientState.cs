namespace Postern.Queue.Storage;

/// <summary>Where one recipient of a queued message stands, from its journal.</summary>
internal enum RecipientState
{
    Pending,
    Delivered,
    Failed,

    /// <summary>Failed, and the failure was handed to the bounce sink.</summary>
    Bounced,
}
