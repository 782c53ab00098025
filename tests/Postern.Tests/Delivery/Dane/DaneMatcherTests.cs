using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.TlsReporting;
using Postern.Delivery.Dane;
using Postern.Tests.Pki;

namespace Postern.Tests.Delivery.Dane;

public sealed class DaneMatcherTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;

    private static readonly string[] MxNames = ["mx.example.net"];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void Dane_ee_matches_every_selector_and_matching_type_ignoring_names_and_dates(byte selector, byte matchingType)
    {
        // Self-signed, another name, expired: DANE-EE binds the key to the service and ignores all three (RFC 7672 3.1.1).
        using var ca = TestCertificates.CreateRootCa("CN=Elsewhere CA");
        using var leaf = TestCertificates.CreateLeaf(
            new X500DistinguishedName("CN=other.example.com"), ca, TestCertificates.ServerFor("other.example.com"),
            notBefore: Now.AddYears(-3), notAfter: Now.AddYears(-2));
        var record = Record(TlsaAssociation.DaneEe, selector, matchingType, leaf);

        var verdict = DaneMatcher.Match(leaf, [], [record], MxNames, Now);

        Assert.True(verdict.IsMatch, verdict.Problem);
        Assert.Same(record, verdict.Record);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void Dane_ee_of_another_certificate_does_not_match(byte selector, byte matchingType)
    {
        using var ca = TestCertificates.CreateRootCa("CN=Test CA");
        using var leaf = Leaf(ca, "mx.example.net");
        using var other = Leaf(ca, "mx.example.net");

        var verdict = DaneMatcher.Match(leaf, [], [Record(TlsaAssociation.DaneEe, selector, matchingType, other)], MxNames, Now);

        Assert.False(verdict.IsMatch);
        Assert.Equal(TlsReportResultType.TlsaInvalid, verdict.Failure);
        Assert.Equal("the certificate matches none of the 1 usable TLSA record", verdict.Problem);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void Dane_ta_matches_an_intermediate_the_server_sends_for_every_selector_and_matching_type(byte selector, byte matchingType)
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var leaf = Leaf(issuing, "mx.example.net");

        var verdict = DaneMatcher.Match(leaf, [issuing], [Record(TlsaAssociation.DaneTa, selector, matchingType, issuing)], MxNames, Now);

        Assert.True(verdict.IsMatch, verdict.Problem);
    }

    [Fact]
    public void Dane_ta_matches_a_root_the_server_sends_through_its_intermediate()
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var leaf = Leaf(issuing, "mx.example.net");

        var verdict = DaneMatcher.Match(leaf, [issuing, root], [Record(TlsaAssociation.DaneTa, 0, 1, root)], MxNames, Now);

        Assert.True(verdict.IsMatch, verdict.Problem);
    }

    [Fact]
    public void Dane_ta_that_the_server_does_not_send_does_not_match()
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var leaf = Leaf(issuing, "mx.example.net");

        var verdict = DaneMatcher.Match(leaf, [issuing], [Record(TlsaAssociation.DaneTa, 1, 1, root)], MxNames, Now);

        Assert.Equal(TlsReportResultType.TlsaInvalid, verdict.Failure);
    }

    [Fact]
    public void Dane_ta_needs_the_leaf_to_be_issued_under_the_anchor()
    {
        // The server sends the real intermediate, but its leaf only claims that issuer.
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var forged = TestCertificates.CreateForgedLeaf(new X500DistinguishedName("CN=mx.example.net"), issuing.SubjectName);

        var verdict = DaneMatcher.Match(forged, [issuing], [Record(TlsaAssociation.DaneTa, 1, 1, issuing)], MxNames, Now);

        Assert.False(verdict.IsMatch);
        Assert.Equal(TlsReportResultType.ValidationFailure, verdict.Failure);
    }

    [Fact]
    public void Dane_ta_checks_the_name_against_the_reference_identifiers()
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var leaf = Leaf(issuing, "mail.other.example");
        var record = Record(TlsaAssociation.DaneTa, 1, 1, issuing);

        var verdict = DaneMatcher.Match(leaf, [issuing], [record], ["mx.example.net", "host.example.net"], Now);

        Assert.Equal(TlsReportResultType.CertificateHostMismatch, verdict.Failure);
        Assert.Equal("the certificate names none of mx.example.net, host.example.net", verdict.Problem);
        // The CNAME target (the TLSA base domain) is a reference identifier as well as the MX name.
        Assert.True(DaneMatcher.Match(leaf, [issuing], [record], ["mx.example.net", "mail.other.example"], Now).IsMatch);
    }

    [Theory]
    [InlineData("*.example.net", "mx.example.net", true)]
    [InlineData("*.example.net", "MX.Example.NET.", true)]
    [InlineData("*.example.net", "a.mx.example.net", false)]
    [InlineData("*.example.net", "example.net", false)]
    [InlineData("mx*.example.net", "mx1.example.net", false)]
    [InlineData("mx.example.net.", "mx.example.net", true)]
    public void Dane_ta_wildcards_stand_for_exactly_one_leftmost_label(string presented, string reference, bool expected)
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var leaf = Leaf(issuing, presented);

        var verdict = DaneMatcher.Match(leaf, [issuing], [Record(TlsaAssociation.DaneTa, 0, 2, issuing)], [reference], Now);

        Assert.Equal(expected, verdict.IsMatch);
    }

    [Fact]
    public void Dane_ta_uses_the_common_name_only_without_dns_subject_alternative_names()
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var cnOnly = TestCertificates.CreateLeaf(new X500DistinguishedName("CN=mx.example.net"), issuing, TestCertificates.ServerFor());
        using var withSan = TestCertificates.CreateLeaf(new X500DistinguishedName("CN=mx.example.net"), issuing, TestCertificates.ServerFor("other.example.net"));
        var record = Record(TlsaAssociation.DaneTa, 1, 1, issuing);

        Assert.True(DaneMatcher.Match(cnOnly, [issuing], [record], MxNames, Now).IsMatch);
        Assert.Equal(TlsReportResultType.CertificateHostMismatch, DaneMatcher.Match(withSan, [issuing], [record], MxNames, Now).Failure);
    }

    [Fact]
    public void Dane_ta_checks_the_validity_dates()
    {
        using var root = TestCertificates.CreateRootCa("CN=Root");
        using var issuing = TestCertificates.CreateIntermediateCa("CN=Issuing", root);
        using var expired = TestCertificates.CreateLeaf(
            new X500DistinguishedName("CN=mx.example.net"), issuing, TestCertificates.ServerFor("mx.example.net"),
            notBefore: Now.AddDays(-30), notAfter: Now.AddDays(-1));

        var verdict = DaneMatcher.Match(expired, [issuing], [Record(TlsaAssociation.DaneTa, 1, 1, issuing)], MxNames, Now);

        Assert.Equal(TlsReportResultType.CertificateExpired, verdict.Failure);
    }

    [Theory]
    [InlineData(TlsaAssociation.PkixTa, 0, 1)]
    [InlineData(TlsaAssociation.PkixEe, 0, 1)]
    [InlineData(TlsaAssociation.DaneEe, 2, 1)]
    [InlineData(TlsaAssociation.DaneEe, 0, 3)]
    [InlineData(4, 0, 1)]
    public void Pkix_usages_and_unknown_parameters_are_unusable_and_ignored(byte usage, byte selector, byte matchingType)
    {
        using var ca = TestCertificates.CreateRootCa("CN=Test CA");
        using var leaf = Leaf(ca, "mx.example.net");
        var record = new TlsaAssociation(usage, selector, matchingType, SHA256.HashData(leaf.RawData));

        var verdict = DaneMatcher.Match(leaf, [ca], [record], MxNames, Now);

        Assert.False(record.IsUsable);
        Assert.False(verdict.IsMatch);
        Assert.Equal("no usable TLSA records", verdict.Problem);
    }

    [Fact]
    public void A_usable_record_matches_among_unusable_ones()
    {
        using var ca = TestCertificates.CreateRootCa("CN=Test CA");
        using var leaf = Leaf(ca, "mx.example.net");
        var pkix = new TlsaAssociation(TlsaAssociation.PkixEe, 0, 1, SHA256.HashData(leaf.RawData));
        var daneEe = Record(TlsaAssociation.DaneEe, 1, 1, leaf);

        Assert.Same(daneEe, DaneMatcher.Match(leaf, [], [pkix, daneEe], MxNames, Now).Record);
    }

    [Fact]
    public void The_presentation_form_is_what_the_log_and_tls_reports_show()
    {
        var record = new TlsaAssociation(3, 1, 1, new byte[] { 0xAB, 0x01 });

        Assert.Equal("3 1 1 AB01", record.ToString());
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, string name) =>
        TestCertificates.CreateLeaf(new X500DistinguishedName("CN=" + name), issuer, TestCertificates.ServerFor(name));

    private static TlsaAssociation Record(byte usage, byte selector, byte matchingType, X509Certificate2 certificate)
    {
        var selected = selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var data = matchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            _ => SHA512.HashData(selected),
        };
        return new TlsaAssociation(usage, selector, matchingType, data);
    }
}
