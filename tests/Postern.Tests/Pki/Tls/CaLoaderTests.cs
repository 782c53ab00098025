using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class CaLoaderTests
{
    [Fact]
    public void Loads_ca_file_and_every_certificate_file_of_ca_path_and_reports_junk()
    {
        using var directory = new TempDirectory();
        var fileRoots = new[] { TestPki.CreateRoot("File Root A"), TestPki.CreateRoot("File Root B") };
        var caFile = directory.WriteFile("cacert.pem", fileRoots[0].CertificatePem + fileRoots[1].CertificatePem);
        var caPath = directory.Combine("certs");
        Directory.CreateDirectory(caPath);
        var hashed = TestPki.CreateRoot("Hashed Root");
        var der = TestPki.CreateRoot("Der Root", rsa: true);
        File.WriteAllText(Path.Combine(caPath, "abcd1234.0"), hashed.CertificatePem);
        File.WriteAllBytes(Path.Combine(caPath, "der-root.crt"), der.Certificate.RawData);
        File.WriteAllText(Path.Combine(caPath, "abcd1234.1"), hashed.CertificatePem); // the same CA again, as c_rehash leaves
        File.WriteAllText(Path.Combine(caPath, "README"), "not a certificate\n");
        var warnings = new List<string>();

        var anchors = CaLoader.Load(caFile, caPath, warnings);

        var names = anchors.Select(c => c.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)).Order(StringComparer.Ordinal);
        Assert.Equal(["Der Root", "File Root A", "File Root B", "Hashed Root"], names);
        var warning = Assert.Single(warnings);
        Assert.StartsWith(Path.Combine(caPath, "README") + ": skipped", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_without_certificates_is_an_error()
    {
        using var directory = new TempDirectory();
        var caFile = directory.WriteFile("cacert.pem", "nothing here\n");

        var error = Assert.Throws<TlsConfigurationException>(() => CaLoader.Load(caFile, null, new List<string>()));

        Assert.StartsWith(caFile + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ca_path_is_an_error()
    {
        using var directory = new TempDirectory();
        var caPath = directory.Combine("absent");

        var error = Assert.Throws<TlsConfigurationException>(() => CaLoader.Load(null, caPath, new List<string>()));

        Assert.StartsWith(caPath + ": ca_path", error.Message, StringComparison.Ordinal);
    }
}
