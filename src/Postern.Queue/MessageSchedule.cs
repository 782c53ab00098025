namespace Postern.Queue;

/// <summary>The runner's in-memory bookkeeping for one queued message: attempts so far and the retry timer.</summary>
internal sealed class MessageSchedule
{
    public int Attempts { get; set; }

    public ITimer? RetryTimer { get; set; }
}
