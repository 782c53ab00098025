using Postern.Pki.Authority;
using Postern.Pki.Certificates;

namespace Postern.Tests.Pki.Authority;

public sealed class SubjectNamesTests
{
    [Fact]
    public void The_openssl_subj_form_keeps_its_order_with_the_CN_last()
    {
        var name = SubjectNames.Build("/C=US/ST=Washington/L=Seattle/O=Foo Enterprises/OU=Security Division", "Jason Heiss");
        Assert.Equal("/C=US/ST=Washington/L=Seattle/O=Foo Enterprises/OU=Security Division/CN=Jason Heiss", DistinguishedNameFormatter.ToSendmail(name));
    }

    [Fact]
    public void An_issued_subject_takes_the_CAs_attributes_and_its_own_CN()
    {
        var ca = SubjectNames.Build("/C=US/O=Foo Enterprises", "Joe's Certificate Authority");
        Assert.Equal("CN=Joe User,O=Foo Enterprises,C=US", DistinguishedNameFormatter.ToRfc4514(SubjectNames.UnderCa(ca, "Joe User")));
    }

    [Theory]
    [InlineData("C=US")]
    [InlineData("/X=1")]
    [InlineData("/O=")]
    public void Malformed_subjects_are_usage_errors(string subject) =>
        Assert.Equal(CaErrorKind.Usage, Assert.Throws<CaException>(() => SubjectNames.Build(subject, "x")).Kind);

    [Fact]
    public void San_values_are_sorted_into_DNS_names_and_IP_addresses()
    {
        var (dns, ips) = IssueInputs.SplitSans(["DNS:smtp.example.org", "IP:192.0.2.1", "::1", "MX.Example.org"]);
        Assert.Equal(["smtp.example.org", "mx.example.org"], dns);
        Assert.Equal(["192.0.2.1", "::1"], ips.Select(i => i.ToString()));
        Assert.Throws<CaException>(() => IssueInputs.SplitSans(["IP:nope"]));
        Assert.Throws<CaException>(() => IssueInputs.SplitSans(["bad name"]));
    }
}
