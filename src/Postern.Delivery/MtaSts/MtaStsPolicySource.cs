using Microsoft.Extensions.Logging;
using Postern.Core.TlsReporting;
using Postern.Delivery.Routing;

namespace Postern.Delivery.MtaSts;

/// <summary>
/// Policy discovery of RFC 8461 5.1 for one domain: the cached policy if still valid, the
/// <c>_mta-sts</c> TXT record, and a fetch when the record's id differs from the cached one or the
/// cached policy nears expiry. A failed fetch keeps a still-valid cached policy; without one the
/// domain's policy is unavailable (delivery goes on as without a policy, TLS-RPT hears of it). No
/// TXT record with a valid cached policy keeps the cached policy (an attacker who strips the
/// record gains nothing before max_age). Lookups of one domain at the same time share one
/// discovery, and a failed fetch is not retried for a few minutes.
/// </summary>
public sealed class MtaStsPolicySource : IMtaStsPolicySource
{
    /// <summary>A cached policy is fetched again when less than this share of its max_age remains...</summary>
    private const int RefreshFraction = 4;

    /// <summary>...or less than a day, whichever is shorter.</summary>
    private static readonly TimeSpan RefreshWindowLimit = TimeSpan.FromDays(1);

    private readonly ITxtResolver _dns;
    private readonly IMtaStsPolicyFetcher _fetcher;
    private readonly MtaStsPolicyCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _storeFetched;
    private readonly MtaStsFetchFailures _failures = new();
    private readonly Dictionary<string, Task<MtaStsLookup>> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="dns">Answers the <c>_mta-sts</c> TXT query.</param>
    /// <param name="fetcher">Fetches the policy over HTTPS.</param>
    /// <param name="cache">The policies on disk.</param>
    /// <param name="time">The clock of max_age.</param>
    /// <param name="logger">The mail log.</param>
    /// <param name="storeFetched">False for <c>postern check</c>, which reads the daemon's cache but never writes it.</param>
    public MtaStsPolicySource(ITxtResolver dns, IMtaStsPolicyFetcher fetcher, MtaStsPolicyCache cache, TimeProvider time, ILogger logger, bool storeFetched = true)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _dns = dns;
        _fetcher = fetcher;
        _cache = cache;
        _time = time;
        _logger = logger;
        _storeFetched = storeFetched;
    }

    public async ValueTask<MtaStsLookup> GetAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (MtaStsDomain.Normalize(domain) is not { } name)
        {
            return MtaStsLookup.None;
        }
        Task<MtaStsLookup>? discovery;
        lock (_gate)
        {
            if (!_inFlight.TryGetValue(name, out discovery))
            {
                // Bounded on its own (DNS timeouts, fetch_timeout), so it runs apart from any one caller's token.
                discovery = DiscoverAsync(name);
                if (!discovery.IsCompleted)
                {
                    _inFlight[name] = discovery;
                }
            }
        }
        return await discovery.WaitAsync(cancellationToken);
    }

    private async Task<MtaStsLookup> DiscoverAsync(string domain)
    {
        try
        {
            return await DiscoverOnceAsync(domain);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(domain);
            }
        }
    }

    private async Task<MtaStsLookup> DiscoverOnceAsync(string domain)
    {
        var cached = _cache.Read(domain, out var cacheProblem);
        if (cacheProblem is not null)
        {
            MtaStsLog.CacheProblem(_logger, cacheProblem);
        }
        var now = _time.GetUtcNow();
        var valid = cached is not null && cached.ExpiresAt > now ? cached : null;

        var txt = await _dns.LookupTxtAsync("_mta-sts." + domain, CancellationToken.None);
        if (txt.Status == TxtAnswerStatus.Failed)
        {
            return valid is not null
                ? FromCache(valid)
                : MtaStsLookup.None with { Problem = $"the TXT lookup for _mta-sts.{domain} failed" };
        }
        var record = txt.Status == TxtAnswerStatus.Found ? MtaStsRecord.Select(txt.Records, out var recordProblem) : null;
        if (record is null)
        {
            // No usable record: the cached policy stands until it expires (RFC 8461 5.1).
            return valid is not null ? FromCache(valid) : MtaStsLookup.None;
        }
        if (valid is not null && valid.Id == record.Id && !NearsExpiry(valid, now))
        {
            return FromCache(valid);
        }
        if (_failures.Recent(domain, record.Id, now) is { } failure)
        {
            return Unavailable(failure.Problem, failure.Type, valid);
        }
        return await FetchAsync(domain, record, valid);
    }

    private async Task<MtaStsLookup> FetchAsync(string domain, MtaStsRecord record, MtaStsPolicy? valid)
    {
        var fetched = await _fetcher.FetchAsync(domain, CancellationToken.None);
        if (fetched.Body is null)
        {
            return Failed(domain, record, fetched.Problem ?? "the policy fetch failed", fetched.ProblemType, valid);
        }
        var policy = MtaStsPolicyParser.Parse(fetched.Body, record.Id, _time.GetUtcNow(), out var invalid);
        if (policy is null)
        {
            return Failed(domain, record, $"the policy from mta-sts.{domain} is invalid: {invalid}", TlsReportResultType.StsPolicyInvalid, valid);
        }
        _failures.Forget(domain);
        var mode = ModeText(policy.Mode);
        MtaStsLog.Fetched(_logger, domain, policy.Id, mode, (long)policy.MaxAge.TotalSeconds);
        if (_storeFetched)
        {
            try
            {
                _cache.Write(domain, policy);
            }
            catch (IOException e)
            {
                MtaStsLog.CacheProblem(_logger, e.Message);
            }
        }
        return new MtaStsLookup(MtaStsLookupStatus.Found, policy);
    }

    private MtaStsLookup Failed(string domain, MtaStsRecord record, string problem, TlsReportResultType? type, MtaStsPolicy? valid)
    {
        MtaStsLog.Problem(_logger, domain, problem);
        _failures.Remember(domain, record.Id, problem, type, _time.GetUtcNow());
        return Unavailable(problem, type, valid);
    }

    private static MtaStsLookup Unavailable(string problem, TlsReportResultType? type, MtaStsPolicy? valid) =>
        valid is not null
            ? new MtaStsLookup(MtaStsLookupStatus.Found, valid, FromCache: true, Problem: problem + "; the cached policy stays in force")
            : new MtaStsLookup(MtaStsLookupStatus.Unavailable, null, Problem: problem, ProblemType: type);

    private static MtaStsLookup FromCache(MtaStsPolicy policy) => new(MtaStsLookupStatus.Found, policy, FromCache: true);

    private static bool NearsExpiry(MtaStsPolicy policy, DateTimeOffset now)
    {
        var window = policy.MaxAge / RefreshFraction;
        if (window > RefreshWindowLimit)
        {
            window = RefreshWindowLimit;
        }
        return policy.ExpiresAt - now < window;
    }

    /// <summary>The mode as the policy and the mail log spell it.</summary>
    public static string ModeText(MtaStsMode mode) => mode switch
    {
        MtaStsMode.Enforce => "enforce",
        MtaStsMode.Testing => "testing",
        _ => "none",
    };
}
