using System.Net;
using System.Net.Sockets;
using Postern.Server.Options;

namespace Postern.Server.Auth;

/// <summary>
/// Counts failed AUTH exchanges per client IP (IPv6 per /64) and per user name in a sliding window,
/// shared by every session. Over the limit, the key is blocked: AUTH from that client is refused,
/// and that user name fails whatever the password, for a period that doubles on each repeat.
/// </summary>
public sealed class AuthFailureLimiter(AuthOptions options, TimeProvider clock)
{
    /// <summary>Beyond this many tracked keys, keys with nothing to remember are swept out.</summary>
    private const int SweepThreshold = 10_000;
    private const int MaxBackoffDoublings = 4;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tracker> _trackers = new(StringComparer.Ordinal);

    /// <summary>True while AUTH from this client is blocked.</summary>
    public bool IsBlocked(IPAddress client) => BlockedUntil(ClientKey(client)) is not null;

    /// <summary>True while exchanges for this user name are blocked.</summary>
    public bool IsUserBlocked(string user) => BlockedUntil(UserKey(user)) is not null;

    /// <summary>When the block on this client ends, or null when it is not blocked.</summary>
    public DateTimeOffset? BlockedUntil(IPAddress client) => BlockedUntil(ClientKey(client));

    /// <summary>
    /// Counts one failed exchange from <paramref name="client"/> for <paramref name="user"/> (null when
    /// the mechanism never named one); says which key, if any, is now over the limit and blocked.
    /// </summary>
    public AuthLimitScope RecordFailure(IPAddress client, string? user)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_trackers.Count > SweepThreshold)
            {
                Sweep(now);
            }
            var scope = Count(ClientKey(client), now) ? AuthLimitScope.Client : AuthLimitScope.None;
            if (user is not null && Count(UserKey(user), now) && scope == AuthLimitScope.None)
            {
                scope = AuthLimitScope.User;
            }
            return scope;
        }
    }

    private bool Count(string key, DateTimeOffset now)
    {
        if (!_trackers.TryGetValue(key, out var tracker))
        {
            tracker = new Tracker();
            _trackers.Add(key, tracker);
        }
        tracker.LastFailure = now;
        tracker.Failures.Enqueue(now);
        Expire(tracker, now);
        if (tracker.Failures.Count < options.MaxFailures)
        {
            return false;
        }
        // Over the limit: block, and start counting afresh for when the block ends.
        var doublings = Math.Min(tracker.Blocks, MaxBackoffDoublings);
        tracker.BlockedUntil = now + options.BlockDuration * (1 << doublings);
        tracker.Blocks++;
        tracker.Failures.Clear();
        return true;
    }

    private DateTimeOffset? BlockedUntil(string key)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            return _trackers.TryGetValue(key, out var tracker) && tracker.BlockedUntil > now ? tracker.BlockedUntil : null;
        }
    }

    private void Expire(Tracker tracker, DateTimeOffset now)
    {
        while (tracker.Failures.TryPeek(out var oldest) && now - oldest >= options.FailureWindow)
        {
            tracker.Failures.Dequeue();
        }
    }

    // A key is forgotten once it is not blocked, has no failure in the window, and its backoff
    // history is old enough that a new block would start from the base duration anyway.
    private void Sweep(DateTimeOffset now)
    {
        var memory = options.FailureWindow + (options.BlockDuration * (1 << MaxBackoffDoublings));
        foreach (var (key, tracker) in _trackers.ToList())
        {
            Expire(tracker, now);
            if (tracker.BlockedUntil <= now && tracker.Failures.Count == 0 && now - tracker.LastFailure >= memory)
            {
                _trackers.Remove(key);
            }
        }
    }

    private static string ClientKey(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // One host usually has a whole /64: counting single addresses would not limit it.
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "client:" + new IPAddress(bytes) + "/64";
        }
        return "client:" + address;
    }

    private static string UserKey(string user) => "user:" + user.ToUpperInvariant();

    private sealed class Tracker
    {
        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastFailure { get; set; }

        public int Blocks { get; set; }
    }
}
