using Postern.Core.Queueing;

namespace Postern.Queue;

/// <summary>
/// The runner's waiting messages ordered by when each is due, behind one timer armed for the
/// earliest. With a deep queue (100,000 deferred messages) this is one heap entry per wait
/// instead of one timer each. An entry is never removed early: a flush or a newer wait makes
/// it stale, and the runner ignores a stale one when it comes due (it compares the time with the
/// message's own <see cref="MessageSchedule.DueAt"/>).
/// </summary>
internal sealed class DueTimes
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private readonly PriorityQueue<QueueId, DateTimeOffset> _waiting = new();
    private readonly TimeProvider _clock;
    private readonly Action<QueueId, DateTimeOffset> _due;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private DateTimeOffset? _armedFor;

    /// <param name="clock">The clock the timer runs on.</param>
    /// <param name="due">Called, outside this class's lock, with each message and the time it was added for once that time has come.</param>
    public DueTimes(TimeProvider clock, Action<QueueId, DateTimeOffset> due)
    {
        _clock = clock;
        _due = due;
        _timer = clock.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many waits are held (stale ones included until they come due).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Calls back for <paramref name="id"/> at <paramref name="at"/>.</summary>
    public void Add(QueueId id, DateTimeOffset at)
    {
        lock (_gate)
        {
            _waiting.Enqueue(id, at);
            if (_armedFor is not { } armed || at < armed)
            {
                Arm(at);
            }
        }
    }

    /// <summary>Stops the timer for good: the runner's run ended (its lifetime is the run's, not an owner's).</summary>
    public void Stop() => _timer.Dispose();

    private void Arm(DateTimeOffset at)
    {
        _armedFor = at;
        var wait = at - _clock.GetUtcNow();
        // A timer takes at most about 49 days; a longer wait wakes once a day and re-arms.
        _timer.Change(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < MaxWait ? wait : MaxWait, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        var due = new List<(QueueId, DateTimeOffset)>();
        lock (_gate)
        {
            _armedFor = null;
            var now = _clock.GetUtcNow();
            while (_waiting.TryPeek(out var id, out var at) && at <= now)
            {
                _waiting.Dequeue();
                due.Add((id, at));
            }
            if (_waiting.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }
        foreach (var (id, at) in due)
        {
            _due(id, at);
        }
    }
}
