using System.Text;
using Postern.Pki.Certificates;

namespace Postern.Tests.Pki;

public sealed class CrlReaderTests
{
    [Fact]
    public void Der_crl_from_an_ecdsa_ca_yields_its_revoked_serials()
    {
        using var ca = TestCertificates.CreateRootCa("CN=EC CA");
        using var revoked = TestCertificates.CreateLeaf("CN=gone", ca);
        using var kept = TestCertificates.CreateLeaf("CN=kept", ca);

        var crls = CrlReader.Read(TestCrls.Create(ca, null, revoked), TestCertificates.Anchors(ca), TestCertificates.Now);

        var crl = Assert.Single(crls);
        Assert.Equal(ca.SubjectName.RawData, crl.Issuer.RawData);
        Assert.Equal([revoked.SerialNumber], crl.Serials);
        Assert.True(crl.Revokes(revoked, ca));
        Assert.False(crl.Revokes(kept, ca));
    }

    [Fact]
    public void Pem_crls_from_an_rsa_ca_are_all_read()
    {
        using var rsaCa = TestCertificates.CreateRootCa("CN=RSA CA", rsa: true);
        using var ecCa = TestCertificates.CreateRootCa("CN=EC CA");
        using var first = TestCertificates.CreateLeaf("CN=first", rsaCa);
        using var second = TestCertificates.CreateLeaf("CN=second", ecCa);
        var pem = TestCrls.ToPem(TestCrls.Create(rsaCa, null, first)) + "\n" + TestCrls.ToPem(TestCrls.Create(ecCa, null, second));

        var crls = CrlReader.Read(Encoding.ASCII.GetBytes(pem), TestCertificates.Anchors(ecCa, rsaCa), TestCertificates.Now);

        Assert.Equal(2, crls.Count);
        Assert.True(crls[0].Revokes(first, rsaCa));
        Assert.True(crls[1].Revokes(second, ecCa));
    }

    [Fact]
    public void Empty_crl_revokes_nothing()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");

        var crl = Assert.Single(CrlReader.Read(TestCrls.Create(ca), TestCertificates.Anchors(ca), TestCertificates.Now));

        Assert.Empty(crl.Serials);
    }

    [Fact]
    public void Tampered_signature_is_refused()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA", rsa: true);
        using var leaf = TestCertificates.CreateLeaf("CN=x", ca);
        var der = TestCrls.Create(ca, null, leaf);
        der[^1] ^= 0x01;

        var error = Assert.Throws<CrlException>(() => CrlReader.Read(der, TestCertificates.Anchors(ca), TestCertificates.Now));

        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_signed_by_another_key_under_the_same_ca_name_is_refused()
    {
        using var ca = TestCertificates.CreateRootCa("CN=Same Name CA");
        using var impostor = TestCertificates.CreateRootCa("CN=Same Name CA");
        using var leaf = TestCertificates.CreateLeaf("CN=x", ca);

        Assert.Throws<CrlException>(() => CrlReader.Read(TestCrls.Create(impostor, null, leaf), TestCertificates.Anchors(ca), TestCertificates.Now));
    }

    [Fact]
    public void Crl_from_an_unconfigured_ca_is_refused()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        using var other = TestCertificates.CreateRootCa("CN=Other CA");

        var error = Assert.Throws<CrlException>(() => CrlReader.Read(TestCrls.Create(other), TestCertificates.Anchors(ca), TestCertificates.Now));

        Assert.Contains("/CN=Other CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_past_its_next_update_is_refused()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        var der = TestCrls.Create(ca, TestCertificates.Now.AddHours(-1));

        var error = Assert.Throws<CrlException>(() => CrlReader.Read(der, TestCertificates.Anchors(ca), TestCertificates.Now));

        Assert.Contains("out of date", error.Message, StringComparison.Ordinal);
        Assert.Single(CrlReader.Read(der, TestCertificates.Anchors(ca), TestCertificates.Now.AddHours(-2)));
    }

    [Theory]
    [InlineData("not a crl at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void Garbage_is_refused(string text)
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");

        Assert.Throws<CrlException>(() => CrlReader.Read(Encoding.ASCII.GetBytes(text), TestCertificates.Anchors(ca), TestCertificates.Now));
    }

    [Fact]
    public void Read_file_names_the_file_in_errors()
    {
        using var ca = TestCertificates.CreateRootCa("CN=CA");
        using var leaf = TestCertificates.CreateLeaf("CN=x", ca);
        var path = Path.Combine(Path.GetTempPath(), "postern-crl-" + Guid.NewGuid().ToString("N") + ".pem");
        try
        {
            File.WriteAllText(path, TestCrls.ToPem(TestCrls.Create(ca, null, leaf)));
            Assert.True(Assert.Single(CrlReader.ReadFile(path, TestCertificates.Anchors(ca), TestCertificates.Now)).Revokes(leaf, ca));

            var error = Assert.Throws<CrlException>(() => CrlReader.ReadFile(path, [], TestCertificates.Now));
            Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<CrlException>(() => CrlReader.ReadFile(path, TestCertificates.Anchors(ca), TestCertificates.Now));
    }
}
