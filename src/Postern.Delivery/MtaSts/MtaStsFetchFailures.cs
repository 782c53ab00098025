using Postern.Core.TlsReporting;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// Recent failed fetches per domain, so a policy host that is down costs one fetch deadline per
/// <see cref="RetryAfter"/> rather than one per delivery attempt. Bounded: past
/// <see cref="MaxDomains"/> the expired entries go, and if that is not enough, all of them.
/// </summary>
internal sealed class MtaStsFetchFailures
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(5);

    public const int MaxDomains = 10_000;

    private readonly Dictionary<string, Failure> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Remember(string domain, string id, string problem, TlsReportResultType? type, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_failures.Count >= MaxDomains)
            {
                foreach (var expired in _failures.Where(f => f.Value.Until <= now).Select(f => f.Key).ToList())
                {
                    _failures.Remove(expired);
                }
                if (_failures.Count >= MaxDomains)
                {
                    _failures.Clear();
                }
            }
            _failures[domain] = new Failure(id, problem, type, now + RetryAfter);
        }
    }

    public void Forget(string domain)
    {
        lock (_gate)
        {
            _failures.Remove(domain);
        }
    }

    /// <summary>The failure of a fetch of policy <paramref name="id"/> that is too recent to try again, or null.</summary>
    public Failure? Recent(string domain, string id, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(domain, out var failure) && failure.Id == id && failure.Until > now ? failure : null;
        }
    }

    /// <summary>One failed fetch: which policy id it was for, why, and until when not to retry.</summary>
    internal sealed record Failure(string Id, string Problem, TlsReportResultType? Type, DateTimeOffset Until);
}
