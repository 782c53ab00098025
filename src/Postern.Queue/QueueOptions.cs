namespace Postern.Queue;

/// <summary>Where the spool lives and how undeliverable mail is retried.</summary>
public sealed record QueueOptions
{
    /// <summary>The spool directory; it holds tmp/, queue/ and corrupt/.</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>How many messages are delivered at once.</summary>
    public int DeliveryConcurrency { get; init; } = 8;

    /// <summary>First wait after a temporary failure; it doubles up to <see cref="MaxRetryInterval"/>.</summary>
    public TimeSpan MinRetryInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After this long in the queue a deferred recipient fails (sendmail's Timeout.queuereturn).</summary>
    public TimeSpan MaxQueueLifetime { get; init; } = TimeSpan.FromDays(5);
}
