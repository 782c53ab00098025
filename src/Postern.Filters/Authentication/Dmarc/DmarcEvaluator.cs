using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dns;
using Postern.Filters.Authentication.Spf;

namespace Postern.Filters.Authentication.Dmarc;

/// <summary>
/// DMARC (RFC 7489 section 6.6): the policy record at <c>_dmarc.</c> the From: domain, else at
/// its organizational domain; the message passes when SPF or a DKIM signature passed for a domain
/// aligned with the From: domain (relaxed: the same organizational domain; strict: the same
/// name). A failing message gets the domain's policy (sp= for a subdomain), sampled by pct=.
/// </summary>
public sealed class DmarcEvaluator(IAuthenticationDns dns, PublicSuffixList suffixes, TimeProvider clock, TimeSpan deadline, Random sampling)
{
    public async ValueTask<DmarcOutcome> EvaluateAsync(
        string? fromDomain, SpfOutcome spf, IReadOnlyList<DkimSignatureResult> dkim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);
        if (fromDomain is null || !SpfDomainName.IsQueryable(fromDomain))
        {
            return new DmarcOutcome(DmarcResult.PermError, fromDomain, null, DmarcPolicy.None, "the message has no single From: domain");
        }
        var from = fromDomain.TrimEnd('.').ToLowerInvariant();
        var organizational = suffixes.OrganizationalDomain(from);
        using var limit = new DnsDeadline(deadline, clock, cancellationToken);
        (DmarcRecord? Record, DmarcOutcome? Error, bool AtFrom) found;
        try
        {
            found = await DiscoverAsync(from, organizational, limit.Token);
        }
        catch (OperationCanceledException e) when (limit.Expired(e))
        {
            return new DmarcOutcome(DmarcResult.TempError, from, null, DmarcPolicy.None, "DNS did not answer in time");
        }
        if (found.Error is { } error)
        {
            return error;
        }
        if (found.Record is not { } record)
        {
            return new DmarcOutcome(DmarcResult.None, from, null, DmarcPolicy.None, $"{from} publishes no DMARC record");
        }
        // The record found at the organizational domain speaks for a subdomain with sp= when it has one.
        var policy = !found.AtFrom && record.SubdomainPolicy is { } sub ? sub : record.Policy;
        var spfAligned = spf.Result == SpfResult.Pass && Aligned(spf.Domain, from, record.StrictSpf);
        var dkimAligned = dkim.FirstOrDefault(d => d.Result == DkimResult.Pass && Aligned(d.Domain, from, record.StrictDkim));
        if (spfAligned || dkimAligned is not null)
        {
            var how = spfAligned ? $"SPF for {spf.Domain}" : $"DKIM for {dkimAligned!.Domain}";
            return new DmarcOutcome(DmarcResult.Pass, from, policy, DmarcPolicy.None, $"{how} aligned with {from}");
        }
        return new DmarcOutcome(DmarcResult.Fail, from, policy, Sampled(policy, record.Percent), $"no SPF or DKIM pass aligned with {from}");
    }

    // Section 6.6.3: the From: domain's record, else the organizational domain's; a DNS failure is a temperror.
    private async ValueTask<(DmarcRecord?, DmarcOutcome?, bool AtFrom)> DiscoverAsync(string from, string organizational, CancellationToken cancellationToken)
    {
        var (record, error) = await LookupAsync(from, cancellationToken);
        if (record is not null || error is not null || from == organizational)
        {
            return (record, error, true);
        }
        var (orgRecord, orgError) = await LookupAsync(organizational, cancellationToken);
        return (orgRecord, orgError, false);
    }

    private async ValueTask<(DmarcRecord?, DmarcOutcome?)> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, cancellationToken);
        if (answer.Status == DnsQueryStatus.Failed)
        {
            return (null, new DmarcOutcome(DmarcResult.TempError, domain, null, DmarcPolicy.None, $"TXT lookup for _dmarc.{domain} failed"));
        }
        var records = answer.Records.Where(DmarcRecord.IsDmarcRecord).ToList();
        if (records.Count != 1)
        {
            // None, or several: "DMARC processing is not applied" (section 6.6.3).
            return (null, null);
        }
        var record = DmarcRecord.TryParse(records[0], out var error);
        return record is null
            ? (null, new DmarcOutcome(DmarcResult.PermError, domain, null, DmarcPolicy.None, $"_dmarc.{domain}: {error}"))
            : (record, null);
    }

    // Section 3.1: strict needs the same name, relaxed the same organizational domain.
    private bool Aligned(string identifier, string from, bool strict)
    {
        var domain = identifier.TrimEnd('.').ToLowerInvariant();
        return domain == from || (!strict && suffixes.OrganizationalDomain(domain) == suffixes.OrganizationalDomain(from));
    }

    // Section 6.6.4: mail outside the pct= sample gets the next milder policy.
    private DmarcPolicy Sampled(DmarcPolicy policy, int percent)
    {
        if (percent >= 100 || sampling.Next(100) < percent)
        {
            return policy;
        }
        return policy == DmarcPolicy.Reject ? DmarcPolicy.Quarantine : DmarcPolicy.None;
    }
}
