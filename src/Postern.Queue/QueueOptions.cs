namespace Postern.Queue;

/// <summary>Where the spool lives and how undeliverable mail is retried.</summary>
public sealed record QueueOptions
{
    /// <summary>The waits of <see cref="RetrySchedule"/> by default: 1m, 5m, 15m, 30m, 1h, then every 2h.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(2),
    ];

    /// <summary>The spool directory; it holds tmp/, queue/ and corrupt/.</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>How many messages are delivered at once.</summary>
    public int DeliveryConcurrency { get; init; } = 8;

    /// <summary>
    /// The wait after the first, second, ... deferred attempt; the last step repeats. Never empty
    /// (the configuration binder rejects an empty list).
    /// </summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; init; } = DefaultRetrySchedule;

    /// <summary>
    /// Each wait is stretched or shrunk at random by up to this fraction (0.1 = ±10%), so messages
    /// deferred together (a peer down) do not all come back in the same second.
    /// </summary>
    public double RetryJitter { get; init; } = 0.1;

    /// <summary>After this long in the queue a deferred recipient fails (sendmail's Timeout.queuereturn).</summary>
    public TimeSpan MaxQueueLifetime { get; init; } = TimeSpan.FromDays(5);

    /// <summary>
    /// After this long in the queue a recipient still deferred gets one delay warning (a "delayed"
    /// DSN) when its NOTIFY allows (sendmail's Timeout.queuewarn); zero disables warnings.
    /// </summary>
    public TimeSpan DelayWarning { get; init; } = TimeSpan.FromHours(4);
}
