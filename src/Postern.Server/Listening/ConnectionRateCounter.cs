using System.Net;

namespace Postern.Server.Listening;

/// <summary>
/// New connections per client address in a one-minute window that starts at the client's first
/// connection, as Postfix's anvil counts them (a fixed window per client: one counter each, no
/// timestamp list). Only clients with a rate limit are counted; windows that ended are swept once
/// a minute, so memory stays bounded by the clients seen in the last minute. Thread-safe.
/// </summary>
internal sealed class ConnectionRateCounter(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IPAddress, (long Start, int Count)> _clients = [];
    private readonly Lock _lock = new();
    private long _lastSweep = clock.GetTimestamp();

    /// <summary>Counts a new connection from <paramref name="address"/> and returns the client's connections in its current window, this one included.</summary>
    public int Count(IPAddress address)
    {
        address = ConnectionLimiter.Normalize(address);
        var now = clock.GetTimestamp();
        lock (_lock)
        {
            SweepIfDue(now);
            if (!_clients.TryGetValue(address, out var window) || clock.GetElapsedTime(window.Start, now) >= Window)
            {
                window = (now, 0);
            }
            window.Count++;
            _clients[address] = window;
            return window.Count;
        }
    }

    private void SweepIfDue(long now)
    {
        if (clock.GetElapsedTime(_lastSweep, now) < Window)
        {
            return;
        }
        _lastSweep = now;
        foreach (var (address, window) in _clients)
        {
            if (clock.GetElapsedTime(window.Start, now) >= Window)
            {
                _clients.Remove(address);
            }
        }
    }
}
