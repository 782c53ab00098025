using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Routing;
using Postern.Delivery.Security;
using Postern.Queue.TlsReports;

namespace Postern.Tools.Check.Domain;

/// <summary>
/// <c>postern check --domain</c>'s facts: the MX set with the DNSSEC status of its answers, each
/// MX host's TLSA records and STARTTLS session (its certificate compared with the TLSA records and
/// checked as MTA-STS would), the MTA-STS record, the published and cached policies and the one in
/// force, and the TLS-RPT record. Nothing is written: the policy cache is only read.
/// </summary>
internal sealed class DomainCheck(DomainCheckServices services, MxTlsProbe probe, TimeProvider time)
{
    public async Task<DomainCheckResult> RunAsync(string domain, CancellationToken cancellationToken)
    {
        var (mtaSts, inForce) = await MtaStsAsync(domain, cancellationToken);
        var mx = await MxAsync(domain, services.MtaStsEnabled ? inForce : null, cancellationToken);
        var tlsRpt = await TlsRptAsync(domain, cancellationToken);
        return new DomainCheckResult { Domain = domain, Mx = mx, MtaSts = mtaSts, TlsRpt = tlsRpt };
    }

    private async Task<MxSetFacts> MxAsync(string domain, MtaStsPolicy? policy, CancellationToken cancellationToken)
    {
        var destination = await services.Mx.ResolveMxAsync(domain, services.Port, cancellationToken);
        if (destination.IsNullMx)
        {
            return new MxSetFacts("null-mx", destination.Problem, []);
        }
        if (destination.Status != RelayDestinationStatus.Ok)
        {
            var status = destination.Status == RelayDestinationStatus.TemporaryFailure ? "temporary-failure" : "permanent-failure";
            return new MxSetFacts(status, destination.Problem, []);
        }
        // The plan delivery would make for the domain's own MX hosts under delivery.tls.
        var planner = new DestinationSecurityPlanner(services.Tlsa, services.PolicySource);
        var plans = await planner.PlanAsync(domain, destination with { Tls = services.Level, IsMxDelivery = true }, cancellationToken);
        var hosts = new List<MxHostFacts>();
        foreach (var plan in plans)
        {
            hosts.Add(await HostAsync(plan, policy, cancellationToken));
        }
        return new MxSetFacts("ok", null, hosts);
    }

    private async Task<MxHostFacts> HostAsync(HostSecurity plan, MtaStsPolicy? policy, CancellationToken cancellationToken)
    {
        var host = plan.Host;
        var tlsa = await services.Tlsa.LookupAsync(host.Name, host.Port, cancellationToken);
        var usable = tlsa.Records.Where(r => r.IsUsable).ToList();
        var outcome = await probe.ProbeAsync(host.Name, host.Addresses, host.Port, cancellationToken);
        try
        {
            string? match = null;
            string? problem = null;
            if (host.DnssecSecure && tlsa.Status == TlsaLookupStatus.Secure && usable.Count > 0 && outcome.Leaf is { } leaf)
            {
                var verdict = DaneMatcher.Match(leaf, outcome.Intermediates, tlsa.Records, [tlsa.BaseName, host.Name], time.GetUtcNow());
                (match, problem) = (verdict.Record?.ToString(), verdict.Problem);
            }
            return new MxHostFacts
            {
                Name = host.Name,
                Addresses = [.. host.Addresses.Select(a => a.ToString())],
                DnssecSecure = host.DnssecSecure,
                Tlsa = new TlsaFacts(tlsa.Status.ToString(), tlsa.BaseName, [.. tlsa.Records.Select(r => r.ToString())], usable.Count, tlsa.Problem),
                Tls = outcome.Facts,
                DaneMatch = match,
                DaneProblem = problem,
                MtaStsPattern = policy?.MatchingPattern(host.Name),
                Plan = plan.Skip is null ? plan.Word : "skip",
                SkipReply = plan.Skip?.ToString(),
            };
        }
        finally
        {
            outcome.Leaf?.Dispose();
            foreach (var certificate in outcome.Intermediates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>The facts, and the policy in force (for the MX pattern check).</summary>
    private async Task<(MtaStsFacts Facts, MtaStsPolicy? InForce)> MtaStsAsync(string domain, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var name = MtaStsDomain.Normalize(domain);
        string? cacheProblem = null;
        var cached = name is not null && services.PolicyCache.Read(name, out cacheProblem) is { } policy ? MtaStsPolicyFacts.Of(policy, now) : null;
        var facts = new MtaStsFacts { Enabled = services.MtaStsEnabled, TxtStatus = "not-found", Cached = cached, CacheProblem = cacheProblem };
        if (name is null)
        {
            return (facts with { TxtProblem = "not a name that can publish MTA-STS" }, null);
        }
        var txt = await services.Txt.LookupTxtAsync("_mta-sts." + name, cancellationToken);
        if (txt.Status == TxtAnswerStatus.Failed)
        {
            facts = facts with { TxtStatus = "failed", TxtProblem = $"the TXT lookup for _mta-sts.{name} failed" };
        }
        else if (txt.Status == TxtAnswerStatus.Found)
        {
            var record = MtaStsRecord.Select(txt.Records, out var problem);
            facts = record is null
                ? facts with { TxtStatus = problem == "no v=STSv1 TXT record" ? "not-found" : "invalid", TxtProblem = problem }
                : facts with { TxtStatus = "found", TxtId = record.Id };
        }
        if (facts.TxtId is { } id)
        {
            facts = await PublishedAsync(name, id, facts, cancellationToken);
        }
        var lookup = await services.PolicySource.GetAsync(name, cancellationToken);
        return (facts with
        {
            InForce = lookup.Policy is { } inForce ? MtaStsPolicyFacts.Of(inForce, now) : null,
            InForceStatus = lookup.Status switch
            {
                MtaStsLookupStatus.Found => "found",
                MtaStsLookupStatus.Unavailable => "unavailable",
                _ => "no-policy",
            },
        }, lookup.Policy);
    }

    private async Task<MtaStsFacts> PublishedAsync(string name, string id, MtaStsFacts facts, CancellationToken cancellationToken)
    {
        var fetched = await services.PolicyFetcher.FetchAsync(name, cancellationToken);
        if (fetched.Body is null)
        {
            return facts with { FetchProblem = fetched.Problem, FetchProblemType = fetched.ProblemType is { } type ? TlsReportNames.ResultType(type) : null };
        }
        var policy = MtaStsPolicyParser.Parse(fetched.Body, id, time.GetUtcNow(), out var invalid);
        return policy is null
            ? facts with { FetchProblem = $"the policy from mta-sts.{name} is invalid: {invalid}", FetchProblemType = TlsReportNames.ResultType(TlsReportResultType.StsPolicyInvalid) }
            : facts with { Published = MtaStsPolicyFacts.Of(policy, time.GetUtcNow()) };
    }

    private async Task<TlsRptFacts> TlsRptAsync(string domain, CancellationToken cancellationToken)
    {
        var lookup = await services.TlsRpt.LookupAsync(domain, cancellationToken);
        switch (lookup.Status)
        {
            case TlsRptTxtStatus.Failed:
                return new TlsRptFacts("failed", [], [], lookup.Problem);
            case TlsRptTxtStatus.NotFound:
                return new TlsRptFacts("not-found", [], [], null);
        }
        return TlsRptRecord.TryParse(lookup.Records, out var record, out var problem)
            ? new TlsRptFacts("found", lookup.Records, [.. record.Destinations], null)
            : new TlsRptFacts(problem.Contains("no v=TLSRPTv1", StringComparison.Ordinal) ? "not-found" : "invalid", lookup.Records, [], problem);
    }
}
