namespace Postern.Queue;

/// <summary>How one delivery attempt of a message ended, for the runner's scheduling.</summary>
internal enum AttemptResult
{
    /// <summary>Every recipient delivered or failed and bounced: removed from the spool.</summary>
    Done,

    /// <summary>Some recipients are still pending (or a bounce could not be handed over): retry later.</summary>
    Retry,

    /// <summary>The message was gone, deleted during the attempt, or corrupt (moved aside): nothing more to do.</summary>
    Dropped,

    /// <summary>On hold: not attempted, and forgotten until released (a rescan or flush finds it again).</summary>
    Held,

    /// <summary>Resumed after a restart with its journaled next attempt still ahead: not attempted, waits for it.</summary>
    Waiting,
}
