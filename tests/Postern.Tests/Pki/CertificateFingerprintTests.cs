using System.Security.Cryptography;
using Postern.Pki.Certificates;

namespace Postern.Tests.Pki;

public sealed class CertificateFingerprintTests
{
    [Fact]
    public void Sha256_equals_openssl_fingerprint()
    {
        using var ca = TestCertificates.CreateRootCa("CN=Fingerprint CA");
        using var leaf = TestCertificates.CreateLeaf("CN=leaf", ca);

        var expected = OpenSslTool.IsAvailable
            ? OpenSslTool.X509(leaf, "-fingerprint", "-sha256").Split('=', 2)[1]
            : CertificateFingerprint.Format(Convert.ToHexString(SHA256.HashData(leaf.RawData)));

        Assert.Equal(expected, CertificateFingerprint.Format(CertificateFingerprint.Sha256(leaf)));
        Assert.Matches("^[0-9a-f]{64}$", CertificateFingerprint.Sha256(leaf));
    }

    [Fact]
    public void Spki_sha256_survives_reissuing_with_the_same_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=same key", key, HashAlgorithmName.SHA256);
        using var first = request.CreateSelfSigned(TestCertificates.Now.AddDays(-1), TestCertificates.Now.AddDays(30));
        using var second = request.CreateSelfSigned(TestCertificates.Now.AddDays(-1), TestCertificates.Now.AddDays(60));

        Assert.NotEqual(CertificateFingerprint.Sha256(first), CertificateFingerprint.Sha256(second));
        Assert.Equal(CertificateFingerprint.SpkiSha256(first), CertificateFingerprint.SpkiSha256(second));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), CertificateFingerprint.SpkiSha256(first));
    }

    [Theory]
    [InlineData("abcd01", "AB:CD:01")]
    [InlineData("AB:cd:01", "AB:CD:01")]
    [InlineData("ff", "FF")]
    [InlineData("", "")]
    public void Format_writes_colon_separated_uppercase_pairs(string hex, string expected)
    {
        Assert.Equal(expected, CertificateFingerprint.Format(hex));
    }

    [Fact]
    public void Format_refuses_non_hex()
    {
        Assert.Throws<FormatException>(() => CertificateFingerprint.Format("xyz1"));
    }
}
