using Microsoft.Extensions.Time.Testing;

namespace Postern.Tests.Server.Auth;

/// <summary>A fake clock that also records the due time of every timer created, to see what the session waits for.</summary>
internal sealed class RecordingClock() : FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 22, 19, TimeSpan.Zero))
{
    private readonly List<TimeSpan> _dueTimes = [];

    public bool HasTimer(TimeSpan dueTime)
    {
        lock (_dueTimes)
        {
            return _dueTimes.Contains(dueTime);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
