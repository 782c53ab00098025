using System.Net;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Delivery.MtaSts;
using Postern.Delivery.Relay;
using Postern.Delivery.Security;
using Postern.Tests.Delivery.Relay;

namespace Postern.Tests.Delivery.Security;

public sealed class DestinationSecurityPlannerTests
{
    private static readonly TlsaAssociation EeRecord = new(3, 1, 1, new byte[32]);

    private readonly FakeTlsaResolver _tlsa = new();
    private readonly FakeMtaStsPolicySource _sts = new();

    private DestinationSecurityPlanner Planner => new(_tlsa, _sts);

    private static RelayHost Host(string name, bool secure = true) => new(name, [IPAddress.Loopback], 25) { DnssecSecure = secure };

    private static RelayDestination Mx(OutboundTlsPolicy tls, params RelayHost[] hosts) =>
        new(RelayDestinationStatus.Ok, hosts, tls) { IsMxDelivery = true };

    [Fact]
    public async Task Validated_usable_tlsa_records_make_the_host_dane()
    {
        _tlsa.Secure("mx.example.net", EeRecord, new TlsaAssociation(1, 0, 1, new byte[32]));

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net")), default));

        Assert.Equal(TlsRequirement.Dane, plan.Requirement);
        Assert.Equal([EeRecord], plan.Tlsa);
        Assert.Equal(["mx.example.net"], plan.ReferenceNames);
        Assert.Equal(("dane", "yes", "none"), (plan.Word, plan.DaneWord, plan.StsWord));
        Assert.Equal(("example.org", TlsReportPolicyType.Tlsa, "mx.example.net"), (plan.Report!.PolicyDomain, plan.Report.PolicyType, plan.Report.PolicyMxHost));
        // Every record in the policy string, the unusable PKIX one too: it is what the domain published.
        Assert.Equal(["3 1 1 " + new string('0', 64), "1 0 1 " + new string('0', 64)], plan.Report.PolicyStrings);
        Assert.Empty(_sts.Lookups);
    }

    [Fact]
    public async Task The_tlsa_base_name_of_a_validated_alias_is_a_reference_name_too()
    {
        _tlsa.Answer("mx.example.net", new TlsaLookup(TlsaLookupStatus.Secure, [EeRecord], "box7.hosting.example"));

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net")), default));

        Assert.Equal(["box7.hosting.example", "mx.example.net"], plan.ReferenceNames);
        Assert.Equal("box7.hosting.example", plan.Report!.PolicyMxHost);
    }

    [Fact]
    public async Task Tlsa_is_not_looked_up_for_a_host_reached_through_unvalidated_answers()
    {
        _tlsa.Secure("mx.example.net", EeRecord);

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net", secure: false)), default));

        Assert.Equal(TlsRequirement.May, plan.Requirement);
        Assert.Empty(_tlsa.Lookups);
        Assert.Equal(TlsReportPolicyType.NoPolicyFound, plan.Report!.PolicyType);
    }

    [Fact]
    public async Task A_failed_tlsa_lookup_skips_the_host_with_its_reason()
    {
        _tlsa.Answer("mx1.example.net", new TlsaLookup(TlsaLookupStatus.Failed, [], "mx1.example.net", "TLSA lookup for _25._tcp.mx1.example.net failed"));

        var plans = await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx1.example.net"), Host("mx2.example.net")), default);

        Assert.Equal("454 4.7.5 TLSA lookup for _25._tcp.mx1.example.net failed", plans[0].Skip?.ToString());
        Assert.Equal(TlsReportResultType.DnssecInvalid, plans[0].PolicyFailure);
        Assert.Null(plans[1].Skip);
    }

    [Fact]
    public async Task Records_that_are_all_unusable_require_tls_without_authentication()
    {
        _tlsa.Secure("mx.example.net", new TlsaAssociation(0, 0, 1, new byte[32]));

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net")), default));

        Assert.Equal(TlsRequirement.Encrypt, plan.Requirement);
        Assert.Equal(TlsReportPolicyType.Tlsa, plan.Report!.PolicyType);
    }

    [Theory]
    [InlineData(false, TlsaLookupStatus.NotFound, "454 4.7.5 dane-only: no DNSSEC-validated TLSA records at _25._tcp.mx.example.net")]
    [InlineData(true, TlsaLookupStatus.NotFound, "454 4.7.5 dane-only: no DNSSEC-validated TLSA records at _25._tcp.mx.example.net")]
    [InlineData(true, TlsaLookupStatus.Insecure, "454 4.7.5 dane-only: no DNSSEC-validated TLSA records at _25._tcp.mx.example.net")]
    public async Task Dane_only_skips_hosts_without_validated_records(bool secure, TlsaLookupStatus status, string reply)
    {
        _tlsa.Answer("mx.example.net", new TlsaLookup(status, [], "mx.example.net"));

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.DaneOnly, Host("mx.example.net", secure)), default));

        Assert.Equal(reply, plan.Skip?.ToString());
        Assert.Equal(TlsReportResultType.DaneRequired, plan.PolicyFailure);
        Assert.Empty(_sts.Lookups);
    }

    [Fact]
    public async Task Dane_only_skips_hosts_whose_records_are_all_unusable()
    {
        _tlsa.Secure("mx.example.net", new TlsaAssociation(1, 0, 1, new byte[32]));

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.DaneOnly, Host("mx.example.net")), default));

        Assert.Equal("454 4.7.5 dane-only: no usable TLSA records at _25._tcp.mx.example.net", plan.Skip?.ToString());
    }

    [Fact]
    public async Task Without_dane_mta_sts_enforce_applies_to_hosts_in_the_policy_and_skips_the_others()
    {
        _sts.Policy("example.org", MtaStsMode.Enforce, "*.example.net");

        var plans = await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx1.example.net"), Host("mx2.elsewhere.example")), default);

        Assert.Equal(TlsRequirement.StsEnforce, plans[0].Requirement);
        Assert.Equal(("sts-enforce", "no", "enforce"), (plans[0].Word, plans[0].DaneWord, plans[0].StsWord));
        Assert.Equal(("example.org", TlsReportPolicyType.Sts, "*.example.net"), (plans[0].Report!.PolicyDomain, plans[0].Report!.PolicyType, plans[0].Report!.PolicyMxHost));
        Assert.Contains("mode: enforce", plans[0].Report!.PolicyStrings);
        Assert.Equal("454 4.7.5 MTA-STS enforce: mx2.elsewhere.example not in policy", plans[1].Skip?.ToString());
        Assert.Equal(TlsReportResultType.StsPolicyInvalid, plans[1].PolicyFailure);
        Assert.Single(_sts.Lookups);
    }

    [Fact]
    public async Task Dane_takes_precedence_over_mta_sts_per_host()
    {
        _sts.Policy("example.org", MtaStsMode.Enforce, "mx2.example.net");
        _tlsa.Secure("mx1.example.net", EeRecord);

        var plans = await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx1.example.net"), Host("mx2.example.net")), default);

        Assert.Equal([TlsRequirement.Dane, TlsRequirement.StsEnforce], plans.Select(p => p.Requirement));
    }

    [Fact]
    public async Task Mta_sts_testing_delivers_to_every_host_and_marks_those_outside_the_policy()
    {
        _sts.Policy("example.org", MtaStsMode.Testing, "mx1.example.net");

        var plans = await Planner.PlanAsync("example.org", Mx(OutboundTlsPolicy.Dane, Host("mx1.example.net"), Host("mx2.example.net")), default);

        Assert.All(plans, p => Assert.Equal((TlsRequirement.StsTesting, null), (p.Requirement, p.Skip)));
        Assert.Equal([false, true], plans.Select(p => p.OutsideStsPolicy));
    }

    [Fact]
    public async Task Mode_none_is_no_policy_and_an_unavailable_policy_is_may_with_its_failure_reported()
    {
        _sts.Policy("none.example", MtaStsMode.None, "mx.example.net");
        _sts.Answer("broken.example", new MtaStsLookup(MtaStsLookupStatus.Unavailable, null, Problem: "policy fetch timed out", ProblemType: TlsReportResultType.StsPolicyFetchError));

        var none = Assert.Single(await Planner.PlanAsync("none.example", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net")), default));
        var broken = Assert.Single(await Planner.PlanAsync("broken.example", Mx(OutboundTlsPolicy.Dane, Host("mx.example.net")), default));

        Assert.Equal((TlsRequirement.May, TlsReportPolicyType.NoPolicyFound), (none.Requirement, none.Report!.PolicyType));
        Assert.Equal((TlsRequirement.May, TlsReportPolicyType.Sts, TlsReportResultType.StsPolicyFetchError, "policy fetch timed out"),
            (broken.Requirement, broken.Report!.PolicyType, broken.PolicyFailure, broken.PolicyFailureDetail));
    }

    [Fact]
    public async Task A_configured_next_hop_gets_dane_but_never_the_recipient_domains_mta_sts_nor_a_report()
    {
        _sts.Policy("example.org", MtaStsMode.Enforce, "mx.example.org");
        _tlsa.Secure("relay.example.net", EeRecord);
        var hop = new RelayDestination(RelayDestinationStatus.Ok, [Host("relay.example.net"), Host("backup.example.net")], OutboundTlsPolicy.Dane);

        var plans = await Planner.PlanAsync("example.org", hop, default);

        Assert.Equal([TlsRequirement.Dane, TlsRequirement.May], plans.Select(p => p.Requirement));
        Assert.All(plans, p => Assert.Null(p.Report));
        Assert.Empty(_sts.Lookups);
    }

    [Theory]
    [InlineData(OutboundTlsPolicy.May, TlsRequirement.May)]
    [InlineData(OutboundTlsPolicy.Encrypt, TlsRequirement.Encrypt)]
    [InlineData(OutboundTlsPolicy.Verify, TlsRequirement.Verify)]
    public async Task The_plain_levels_are_used_as_they_are_without_dns_or_policy_lookups(OutboundTlsPolicy level, TlsRequirement expected)
    {
        _sts.Policy("example.org", MtaStsMode.Enforce, "other.example.net");
        _tlsa.Secure("mx.example.net", EeRecord);

        var plan = Assert.Single(await Planner.PlanAsync("example.org", Mx(level, Host("mx.example.net")), default));

        Assert.Equal(expected, plan.Requirement);
        Assert.Null(plan.Skip);
        Assert.Empty(_tlsa.Lookups);
        Assert.Empty(_sts.Lookups);
    }
}
