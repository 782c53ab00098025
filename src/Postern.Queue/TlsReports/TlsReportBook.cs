using Postern.Core.TlsReporting;

namespace Postern.Queue.TlsReports;

/// <summary>
/// The counts of every period not yet reported, aggregated per period, policy domain and policy
/// within <see cref="TlsReportLimits"/>. Not thread-safe: <see cref="TlsReportRecorder"/> holds
/// the lock. Every change names the period it touched so only that one is written out.
/// </summary>
public sealed class TlsReportBook
{
    private readonly SortedDictionary<DateTimeOffset, PeriodCounts> _periods = [];
    private readonly TimeSpan _interval;
    private readonly TlsReportLimits _limits;

    public TlsReportBook(TimeSpan interval, TlsReportLimits limits)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "must be positive");
        }
        _interval = interval;
        _limits = limits;
    }

    public IEnumerable<PeriodCounts> Periods => _periods.Values;

    /// <summary>Takes a period read back from disk (a later one with the same start replaces it).</summary>
    public void Restore(PeriodCounts period) => _periods[period.Start] = period;

    public PeriodCounts? Find(DateTimeOffset start) => _periods.GetValueOrDefault(start);

    public void Remove(DateTimeOffset start) => _periods.Remove(start);

    /// <summary>Counts one session; returns the period it went into.</summary>
    public PeriodCounts Add(TlsSessionOutcome outcome, DateTimeOffset now)
    {
        var period = PeriodFor(outcome.At);
        if (period.Closed)
        {
            // Its report is on the way: a late session joins the current period instead.
            period = PeriodFor(now);
        }
        var domain = FindOrAddDomain(period, Normalize(outcome.PolicyDomain));
        var policy = domain is null ? null : FindOrAddPolicy(period, domain, outcome);
        if (policy is null)
        {
            period.DroppedSessions++;
            return period;
        }
        if (outcome.PolicyMxHost is { } mxHost)
        {
            var host = Clip(Normalize(mxHost));
            if (policy.MxHosts.Count < _limits.MaxMxHosts && !policy.MxHosts.Contains(host, StringComparer.Ordinal) && Reserve(period, host.Length))
            {
                policy.MxHosts.Add(host);
            }
        }
        if (outcome.Failure is not { } failure)
        {
            policy.Successes++;
            return period;
        }
        policy.Failures++;
        CountFailure(period, policy, failure, outcome);
        return period;
    }

    private void CountFailure(PeriodCounts period, PolicyCounts policy, TlsReportResultType failure, TlsSessionOutcome outcome)
    {
        var sending = outcome.SendingAddress?.ToString();
        var receivingMx = Clip(Normalize(outcome.ReceivingMxHostName));
        var receiving = outcome.ReceivingAddress?.ToString();
        var information = outcome.FailureDetail is { Length: > 0 } detail ? Clip(detail) : null;
        var row = policy.Details.Find(d => d.Matches(failure, sending, receivingMx, receiving, information));
        if (row is null)
        {
            var size = (sending?.Length ?? 0) + receivingMx.Length + (receiving?.Length ?? 0) + (information?.Length ?? 0) + 64;
            if (policy.Details.Count >= _limits.MaxFailureDetails || !Reserve(period, size))
            {
                policy.UnlistedFailures++;
                return;
            }
            row = new FailureCounts
            {
                Result = failure,
                SendingIp = sending,
                ReceivingMx = receivingMx,
                ReceivingIp = receiving,
                Information = information,
            };
            policy.Details.Add(row);
        }
        row.Count++;
    }

    private PeriodCounts PeriodFor(DateTimeOffset at)
    {
        var start = ReportPeriods.StartOf(at, _interval);
        if (!_periods.TryGetValue(start, out var period))
        {
            period = new PeriodCounts { Start = start, End = start + _interval };
            _periods.Add(start, period);
        }
        return period;
    }

    private DomainCounts? FindOrAddDomain(PeriodCounts period, string name)
    {
        if (period.Find(name) is { } found)
        {
            return found;
        }
        if (period.Domains.Count >= _limits.MaxDomains || name.Length > _limits.MaxTextLength || !Reserve(period, name.Length + 64))
        {
            return null;
        }
        var domain = new DomainCounts { Domain = name };
        period.Add(domain);
        return domain;
    }

    private PolicyCounts? FindOrAddPolicy(PeriodCounts period, DomainCounts domain, TlsSessionOutcome outcome)
    {
        var strings = outcome.PolicyStrings.Take(_limits.MaxPolicyStrings).Select(Clip).ToList();
        var policy = domain.Policies.Find(p => p.Matches(outcome.PolicyType, strings));
        if (policy is not null)
        {
            return policy;
        }
        if (domain.Policies.Count >= _limits.MaxPoliciesPerDomain || !Reserve(period, strings.Sum(s => s.Length) + 128))
        {
            return null;
        }
        policy = new PolicyCounts { Type = outcome.PolicyType, Strings = strings };
        domain.Policies.Add(policy);
        return policy;
    }

    private bool Reserve(PeriodCounts period, long characters)
    {
        if (period.Characters + characters > _limits.MaxPeriodCharacters)
        {
            return false;
        }
        period.Characters += characters;
        return true;
    }

    private string Clip(string text) => text.Length <= _limits.MaxTextLength ? text : text[.._limits.MaxTextLength];

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
