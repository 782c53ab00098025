using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Postern.Pki.Certificates;
using static Postern.Tests.Pki.TestNames;

namespace Postern.Tests.Pki;

public sealed class CertificateFactsReaderTests
{
    [Fact]
    public void Reads_names_in_both_forms_and_the_common_names()
    {
        using var ca = TestCertificates.CreateRootCa(Simple((Country, "US"), (Organization, "Foo Enterprises"), (CommonName, "Foo CA")));
        using var leaf = TestCertificates.CreateLeaf(Simple((Organization, "Foo Enterprises"), (CommonName, "Jason Heiss")), ca);

        var facts = CertificateFactsReader.Read(leaf);

        Assert.Equal("/O=Foo Enterprises/CN=Jason Heiss", facts.Subject);
        Assert.Equal("/C=US/O=Foo Enterprises/CN=Foo CA", facts.Issuer);
        Assert.Equal("CN=Jason Heiss,O=Foo Enterprises", facts.SubjectRfc4514);
        Assert.Equal("CN=Foo CA,O=Foo Enterprises,C=US", facts.IssuerRfc4514);
        Assert.Equal("Jason Heiss", facts.SubjectCommonName);
        Assert.Equal("Foo CA", facts.IssuerCommonName);
    }

    [Fact]
    public void Reads_san_dns_names_and_email_addresses_in_order()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        using var leaf = TestCertificates.CreateLeaf(Simple((CommonName, "mail")), ca, request =>
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("mail.example.org");
            san.AddEmailAddress("postmaster@example.org");
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddDnsName("*.example.net");
            san.AddEmailAddress("jason@example.org");
            request.CertificateExtensions.Add(san.Build());
        });

        var facts = CertificateFactsReader.Read(leaf);

        Assert.Equal(["mail.example.org", "*.example.net"], facts.DnsNames);
        Assert.Equal(["postmaster@example.org", "jason@example.org"], facts.EmailAddresses);
    }

    [Fact]
    public void Without_san_the_name_lists_are_empty()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        using var leaf = TestCertificates.CreateLeaf(Simple((CommonName, "plain")), ca);

        var facts = CertificateFactsReader.Read(leaf);

        Assert.Empty(facts.DnsNames);
        Assert.Empty(facts.EmailAddresses);
    }

    [Fact]
    public void Serial_is_uppercase_hex_and_dates_are_utc()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        var notBefore = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var leaf = TestCertificates.CreateLeaf(Simple((CommonName, "s")), ca, notBefore: notBefore, notAfter: notAfter, serial: [0x1A, 0x2B, 0xFF]);

        var facts = CertificateFactsReader.Read(leaf);

        Assert.Equal("1A2BFF", facts.SerialNumber);
        Assert.Equal(notBefore, facts.NotBefore);
        Assert.Equal(TimeSpan.Zero, facts.NotBefore.Offset);
        Assert.Equal(notAfter, facts.NotAfter);
    }

    [Fact]
    public void Fingerprints_are_sha256_of_the_certificate_and_of_the_public_key_info()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        using var leaf = TestCertificates.CreateLeaf(Simple((CommonName, "f")), ca);

        var facts = CertificateFactsReader.Read(leaf);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)), facts.FingerprintSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo())), facts.SpkiSha256);
        Assert.Matches("^[0-9a-f]{64}$", facts.FingerprintSha256);
        Assert.NotEqual(facts.FingerprintSha256, facts.SpkiSha256);
    }
}
