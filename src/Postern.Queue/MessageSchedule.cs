namespace Postern.Queue;

/// <summary>The runner's in-memory bookkeeping for one queued message (guarded by the runner's lock).</summary>
internal sealed class MessageSchedule
{
    /// <summary>Attempts so far; continues from the journal after a restart.</summary>
    public int Attempts { get; set; }

    /// <summary>The journal's attempt count and next attempt time have been taken over.</summary>
    public bool Resumed { get; set; }

    /// <summary>A flush asked for an attempt now, whatever the journaled next attempt time.</summary>
    public bool Forced { get; set; }

    /// <summary>In the ready channel or being attempted (so not to be queued again).</summary>
    public bool Queued { get; set; }

    /// <summary>When the message waits for its next attempt or report: the time it is due (see <see cref="DueTimes"/>); null otherwise.</summary>
    public DateTimeOffset? DueAt { get; set; }
}
