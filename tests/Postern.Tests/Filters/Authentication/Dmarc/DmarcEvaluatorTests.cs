using Postern.Filters.Authentication.Dkim;
using Postern.Filters.Authentication.Dmarc;
using Postern.Filters.Authentication.Spf;

namespace Postern.Tests.Filters.Authentication.Dmarc;

/// <summary>DMARC alignment and policy cases (RFC 7489 sections 3.1, 6.6.3 and 6.6.4) over in-memory DNS.</summary>
public sealed class DmarcEvaluatorTests
{
    private static readonly SpfOutcome NoSpf = new(SpfResult.None, "mailfrom", "x@nowhere.test", "nowhere.test", "");

    [Theory]
    // SPF for a subdomain of the From: domain: aligned when relaxed, not when strict.
    [InlineData("v=DMARC1; p=reject", "bounces.example.org", "pass")]
    [InlineData("v=DMARC1; p=reject; aspf=s", "bounces.example.org", "fail")]
    [InlineData("v=DMARC1; p=reject; aspf=s", "example.org", "pass")]
    // Another organizational domain never aligns.
    [InlineData("v=DMARC1; p=reject", "example.net", "fail")]
    // Same registered suffix, different organizations (co.uk is a public suffix).
    [InlineData("v=DMARC1; p=reject", "other.co.uk", "fail")]
    public async Task Spf_alignment_is_relaxed_unless_strict(string record, string spfDomain, string expected)
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", record);
        var spf = new SpfOutcome(SpfResult.Pass, "mailfrom", "b@" + spfDomain, spfDomain, "");
        var outcome = await Evaluate(dns, "example.org", spf);
        Assert.Equal(expected, outcome.ResultName);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", "mail.example.org", "pass")]
    [InlineData("v=DMARC1; p=reject; adkim=s", "mail.example.org", "fail")]
    [InlineData("v=DMARC1; p=reject; adkim=s", "example.org", "pass")]
    public async Task Dkim_alignment_is_relaxed_unless_strict(string record, string signingDomain, string expected)
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", record);
        var outcome = await Evaluate(dns, "example.org", NoSpf, new DkimSignatureResult(DkimResult.Pass, signingDomain, "s", "rsa-sha256", ""));
        Assert.Equal(expected, outcome.ResultName);
    }

    [Fact]
    public async Task A_failed_signature_of_the_right_domain_does_not_count()
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        var outcome = await Evaluate(dns, "example.org", NoSpf, new DkimSignatureResult(DkimResult.Fail, "example.org", "s", "rsa-sha256", ""));
        Assert.Equal(DmarcResult.Fail, outcome.Result);
        Assert.Equal(DmarcPolicy.Reject, outcome.Disposition);
    }

    [Fact]
    public async Task A_subdomain_without_a_record_gets_the_organizational_domain_s_sp()
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.co.uk", "v=DMARC1; p=reject; sp=quarantine");
        var outcome = await Evaluate(dns, "news.example.co.uk", NoSpf);
        Assert.Equal(DmarcResult.Fail, outcome.Result);
        Assert.Equal("news.example.co.uk", outcome.FromDomain);
        Assert.Equal(DmarcPolicy.Quarantine, outcome.Policy);
        Assert.Equal(DmarcPolicy.Quarantine, outcome.Disposition);
    }

    [Fact]
    public async Task A_subdomain_without_sp_gets_p()
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        Assert.Equal(DmarcPolicy.Reject, (await Evaluate(dns, "news.example.org", NoSpf)).Disposition);
    }

    [Fact]
    public async Task The_organizational_domain_itself_gets_p_not_sp()
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject; sp=none");
        Assert.Equal(DmarcPolicy.Reject, (await Evaluate(dns, "example.org", NoSpf)).Disposition);
    }

    [Fact]
    public async Task A_subdomain_s_own_record_wins_over_the_organizational_domain_s()
    {
        var dns = new InMemoryDns()
            .Txt("_dmarc.news.example.org", "v=DMARC1; p=none")
            .Txt("_dmarc.example.org", "v=DMARC1; p=reject");
        var outcome = await Evaluate(dns, "news.example.org", NoSpf);
        Assert.Equal(DmarcPolicy.None, outcome.Policy);
        Assert.Equal(DmarcPolicy.None, outcome.Disposition);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject; pct=0", DmarcPolicy.Quarantine)]
    [InlineData("v=DMARC1; p=quarantine; pct=0", DmarcPolicy.None)]
    [InlineData("v=DMARC1; p=reject; pct=100", DmarcPolicy.Reject)]
    public async Task Mail_outside_the_pct_sample_gets_the_next_milder_policy(string record, DmarcPolicy disposition)
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", record);
        var outcome = await Evaluate(dns, "example.org", NoSpf);
        Assert.Equal(DmarcResult.Fail, outcome.Result);
        Assert.Equal(disposition, outcome.Disposition);
    }

    [Fact]
    public async Task No_record_is_none()
    {
        var outcome = await Evaluate(new InMemoryDns().Txt("example.org", "v=spf1 -all"), "example.org", NoSpf);
        Assert.Equal(DmarcResult.None, outcome.Result);
        Assert.Null(outcome.Policy);
    }

    [Fact]
    public async Task Two_records_are_as_none()
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", "v=DMARC1; p=reject").Txt("_dmarc.example.org", "v=DMARC1; p=none");
        Assert.Equal(DmarcResult.None, (await Evaluate(dns, "example.org", NoSpf)).Result);
    }

    [Theory]
    [InlineData("v=DMARC1; p=block")]
    [InlineData("v=DMARC1; rua=mailto:x@example.org")]
    [InlineData("v=DMARC1; p=reject; pct=150")]
    [InlineData("v=DMARC1; p=reject; adkim=x")]
    public async Task An_invalid_record_is_a_permerror(string record)
    {
        var dns = new InMemoryDns().Txt("_dmarc.example.org", record);
        Assert.Equal(DmarcResult.PermError, (await Evaluate(dns, "example.org", NoSpf)).Result);
    }

    [Fact]
    public async Task A_failing_lookup_is_a_temperror()
    {
        Assert.Equal(DmarcResult.TempError, (await Evaluate(new InMemoryDns().Fail("_dmarc.example.org"), "example.org", NoSpf)).Result);
    }

    [Fact]
    public async Task No_single_from_domain_is_a_permerror()
    {
        Assert.Equal(DmarcResult.PermError, (await Evaluate(new InMemoryDns(), null, NoSpf)).Result);
    }

    [Fact]
    public void The_organizational_domain_follows_the_list_s_rules_wildcards_and_exceptions()
    {
        var list = AuthenticationTestHandlers.Suffixes;
        Assert.Equal("example.org", list.OrganizationalDomain("a.b.example.org"));
        Assert.Equal("example.co.uk", list.OrganizationalDomain("mail.example.co.uk"));
        Assert.Equal("shop.foo.ck", list.OrganizationalDomain("a.shop.foo.ck"));
        Assert.Equal("www.ck", list.OrganizationalDomain("a.www.ck"));
        Assert.Equal("example.zz", list.OrganizationalDomain("a.example.zz"));
    }

    [Fact]
    public void Debian_s_public_suffix_list_loads()
    {
        var list = PublicSuffixList.Load(PublicSuffixList.DebianPath);
        Assert.Equal("example.co.uk", list.OrganizationalDomain("mail.example.co.uk"));
        Assert.Equal("example.com.au", list.OrganizationalDomain("www.example.com.au"));
    }

    private static async Task<DmarcOutcome> Evaluate(InMemoryDns dns, string? from, SpfOutcome spf, params DkimSignatureResult[] dkim)
    {
        var evaluator = new DmarcEvaluator(dns, AuthenticationTestHandlers.Suffixes, TimeProvider.System, TimeSpan.FromSeconds(20), new Random(1));
        return await evaluator.EvaluateAsync(from, spf, dkim, CancellationToken.None);
    }
}
