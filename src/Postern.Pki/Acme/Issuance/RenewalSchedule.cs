namespace Postern.Pki.Acme.Issuance;

/// <summary>
/// When to renew, as a function of the state, the configuration and the time (no I/O): ARI's
/// window when the server offers one (a uniformly random time in it, RFC 9773 4.3.2), else notAfter
/// less acme.renew_before (default a third of the lifetime, as Caddy and Let's Encrypt advise),
/// moved earlier by a random jitter so that many servers do not renew at one instant; after
/// failures, a backoff. A chosen time is kept while it still fits its rule, so a restart does not
/// choose again.
/// </summary>
public sealed class RenewalSchedule(TimeSpan? renewBefore, Random random)
{
    /// <summary>The jitter is at most 1% of the lifetime and at most this.</summary>
    public static readonly TimeSpan MaxJitter = TimeSpan.FromHours(12);

    /// <summary>ARI is asked again per its Retry-After, but not more often than this...</summary>
    public static readonly TimeSpan AriMinPoll = TimeSpan.FromHours(6);

    /// <summary>...and at least this often.</summary>
    public static readonly TimeSpan AriMaxPoll = TimeSpan.FromHours(24);

    /// <summary>The first retry after a failure; each further failure doubles it up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    /// <summary>A server's Retry-After is honoured up to this (a rate limit lasts hours, not weeks).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// <paramref name="certificate"/> with its renewal time chosen: inside the ARI window when it
    /// has one, else from renew_before. Never before halfway through the lifetime unless ARI says
    /// so: a renew_before as long as the lifetime would otherwise renew in a loop.
    /// </summary>
    public AcmeCertificateState Choose(AcmeCertificateState certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate is { AriWindowStart: { } start, AriWindowEnd: { } end } && end >= start)
        {
            if (certificate.RenewReason == RenewalReasons.Ari && certificate.RenewAt is { } kept && kept >= start && kept <= end)
            {
                return certificate;
            }
            return certificate with { RenewAt = start + (end - start) * random.NextDouble(), RenewReason = RenewalReasons.Ari };
        }
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        var before = renewBefore ?? lifetime / 3;
        if (before > lifetime / 2)
        {
            before = lifetime / 2;
        }
        var latest = certificate.NotAfter - before;
        var jitter = lifetime / 100 < MaxJitter ? lifetime / 100 : MaxJitter;
        if (certificate.RenewReason == RenewalReasons.RenewBefore && certificate.RenewAt is { } chosen && chosen <= latest && chosen >= latest - jitter)
        {
            return certificate;
        }
        return certificate with { RenewAt = latest - jitter * random.NextDouble(), RenewReason = RenewalReasons.RenewBefore };
    }

    /// <summary>
    /// The next attempt for the certificates of <paramref name="keyTypes"/> naming
    /// <paramref name="domains"/>: now for one missing or naming other domains, else the earliest
    /// chosen time; after a failure not before <see cref="AcmeState.RetryAt"/>.
    /// </summary>
    public static RenewalPlan Next(AcmeState state, IReadOnlyList<AcmeKeyTypes> keyTypes, IReadOnlyList<string> domains, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var earliest = keyTypes.Select(k => Due(state.For(k), domains, now)).MinBy(p => p.At) ?? new RenewalPlan(now, RenewalReasons.Missing);
        return state.RetryAt is { } retryAt && retryAt > earliest.At ? new RenewalPlan(retryAt, RenewalReasons.Retry) : earliest;
    }

    /// <summary>The plan of one key type's certificate.</summary>
    public static RenewalPlan Due(AcmeCertificateState? certificate, IReadOnlyList<string> domains, DateTimeOffset now)
    {
        if (certificate is null)
        {
            return new(now, RenewalReasons.Missing);
        }
        if (!domains.All(d => certificate.Domains.Contains(d, StringComparer.OrdinalIgnoreCase)))
        {
            return new(now, RenewalReasons.DomainsChanged);
        }
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        return new(certificate.RenewAt ?? certificate.NotAfter - lifetime / 3, certificate.RenewReason ?? RenewalReasons.RenewBefore);
    }

    /// <summary>How long to wait after the <paramref name="consecutiveFailures"/>-th failure in a row: 1 min doubling to 6 h, or the server's Retry-After when longer.</summary>
    public static TimeSpan Backoff(int consecutiveFailures, TimeSpan? retryAfter)
    {
        var doublings = Math.Clamp(consecutiveFailures - 1, 0, 20);
        var backoff = FirstBackoff * Math.Pow(2, doublings);
        if (backoff > MaxBackoff)
        {
            backoff = MaxBackoff;
        }
        if (retryAfter is { } after && after > backoff)
        {
            backoff = after < MaxRetryAfter ? after : MaxRetryAfter;
        }
        return backoff;
    }

    /// <summary>When to ask for renewal info again: the server's Retry-After within 6 h..24 h, 6 h without one.</summary>
    public static DateTimeOffset NextAriPoll(DateTimeOffset now, TimeSpan? retryAfter)
    {
        var wait = retryAfter ?? AriMinPoll;
        return now + (wait < AriMinPoll ? AriMinPoll : wait > AriMaxPoll ? AriMaxPoll : wait);
    }
}
