using System.Globalization;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Security;

/// <summary>
/// Decides, for each host of one destination, what its session must prove, as Postfix's
/// <c>smtp_tls_security_level = dane</c> does with an MTA-STS resolver beside it:
/// under <c>dane</c> a host whose MX and address answers were validated has its TLSA records
/// looked up; usable validated records make it DANE (a failed lookup defers the host, RFC 7672
/// 2.2; records that are all unusable require unauthenticated TLS, RFC 7672 2.2); without them
/// the recipient domain's MTA-STS policy applies to its own MX hosts (enforce: only hosts in the
/// policy, PKIX-verified; testing: checked and reported, delivered anyway); otherwise <c>may</c>.
/// <c>dane-only</c> skips every host without usable validated TLSA records. The levels
/// <c>may</c>, <c>encrypt</c> and <c>verify</c> are used as they are. The MTA-STS policy is
/// fetched at most once per destination and only when a host needs it.
/// </summary>
public sealed class DestinationSecurityPlanner(ITlsaResolver tlsa, IMtaStsPolicySource sts)
{
    public async ValueTask<IReadOnlyList<HostSecurity>> PlanAsync(string domain, RelayDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(destination);
        var report = destination.IsMxDelivery ? TlsReportPolicy.NoPolicy(domain) : null;
        var level = destination.Tls;
        if (level is not (OutboundTlsPolicy.Dane or OutboundTlsPolicy.DaneOnly))
        {
            return [.. destination.Hosts.Select(h => HostSecurity.ForLevel(h, level) with { Report = report })];
        }
        MtaStsLookup? policy = null;
        var plans = new List<HostSecurity>();
        foreach (var host in destination.Hosts)
        {
            var dane = await DaneAsync(domain, host, level, report, cancellationToken);
            if (dane is not null)
            {
                plans.Add(dane);
                continue;
            }
            if (!destination.IsMxDelivery)
            {
                plans.Add(new HostSecurity(host, TlsRequirement.May));
                continue;
            }
            policy ??= await sts.GetAsync(domain, cancellationToken);
            plans.Add(FromStsPolicy(domain, host, policy));
        }
        return plans;
    }

    /// <summary>The DANE plan for the host, a skip, or null when DANE does not apply (fall back to MTA-STS).</summary>
    private async ValueTask<HostSecurity?> DaneAsync(string domain, RelayHost host, OutboundTlsPolicy level, TlsReportPolicy? report, CancellationToken cancellationToken)
    {
        var daneOnly = level == OutboundTlsPolicy.DaneOnly;
        var owner = string.Create(CultureInfo.InvariantCulture, $"_{host.Port}._tcp.{host.Name}");
        var tlsaReport = report is null ? null : new TlsReportPolicy(domain, TlsReportPolicyType.Tlsa, [], host.Name);
        if (!host.DnssecSecure)
        {
            return daneOnly ? Skipped(host, DeliveryReplies.DaneRequired(owner), tlsaReport, TlsReportResultType.DaneRequired) : null;
        }
        var lookup = await tlsa.LookupAsync(host.Name, host.Port, cancellationToken);
        switch (lookup.Status)
        {
            case TlsaLookupStatus.Failed:
                return Skipped(host, DeliveryReplies.TlsaLookupFailed(lookup.Problem ?? $"TLSA lookup for {owner} failed"), tlsaReport, TlsReportResultType.DnssecInvalid);
            case TlsaLookupStatus.Secure:
                break;
            default:
                return daneOnly ? Skipped(host, DeliveryReplies.DaneRequired(owner), tlsaReport, TlsReportResultType.DaneRequired) : null;
        }
        var records = lookup.Records;
        var found = report is null ? null : new TlsReportPolicy(domain, TlsReportPolicyType.Tlsa, [.. records.Select(r => r.ToString())], lookup.BaseName);
        var usable = records.Where(r => r.IsUsable).ToList();
        if (usable.Count == 0)
        {
            // RFC 7672 2.2: TLSA records exist but none is usable: TLS is still mandatory, unauthenticated.
            return daneOnly
                ? Skipped(host, DeliveryReplies.NoUsableTlsa(owner), found, TlsReportResultType.TlsaInvalid)
                : new HostSecurity(host, TlsRequirement.Encrypt) { Report = found };
        }
        return new HostSecurity(host, TlsRequirement.Dane)
        {
            Tlsa = usable,
            ReferenceNames = [.. new[] { lookup.BaseName, host.Name }.Distinct(StringComparer.OrdinalIgnoreCase)],
            Report = found,
        };
    }

    private static HostSecurity FromStsPolicy(string domain, RelayHost host, MtaStsLookup lookup)
    {
        if (lookup.Status == MtaStsLookupStatus.Unavailable)
        {
            // RFC 8461 5: no usable policy: deliver as without one, and tell TLS-RPT why.
            return new HostSecurity(host, TlsRequirement.May)
            {
                Report = new TlsReportPolicy(domain, TlsReportPolicyType.Sts, [], null),
                PolicyFailure = lookup.ProblemType ?? TlsReportResultType.StsPolicyFetchError,
                PolicyFailureDetail = lookup.Problem,
            };
        }
        if (lookup.Policy is not { Mode: not MtaStsMode.None } policy)
        {
            return new HostSecurity(host, TlsRequirement.May) { Report = TlsReportPolicy.NoPolicy(domain) };
        }
        var pattern = policy.MatchingPattern(host.Name);
        var report = new TlsReportPolicy(domain, TlsReportPolicyType.Sts, policy.Lines, pattern);
        if (policy.Mode == MtaStsMode.Enforce)
        {
            return pattern is null
                ? Skipped(host, DeliveryReplies.OutsideStsPolicy(host.Name), report, TlsReportResultType.StsPolicyInvalid) with { StsMode = MtaStsMode.Enforce }
                : new HostSecurity(host, TlsRequirement.StsEnforce) { StsMode = MtaStsMode.Enforce, Report = report };
        }
        return new HostSecurity(host, TlsRequirement.StsTesting) { StsMode = MtaStsMode.Testing, Report = report, OutsideStsPolicy = pattern is null };
    }

    private static HostSecurity Skipped(RelayHost host, Core.Smtp.SmtpReply reply, TlsReportPolicy? report, TlsReportResultType failure) =>
        new(host, TlsRequirement.Dane)
        {
            Skip = reply,
            Report = report,
            PolicyFailure = failure,
            PolicyFailureDetail = string.Join(' ', reply.Lines),
        };
}
