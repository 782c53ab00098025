using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class PemCertificateLoaderTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Loads_certificate_and_key_from_one_file(bool rsa, bool traditionalKey)
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Test Root", rsa);
        var server = TestPki.IssueServer("mail.example.org", root, rsa);
        var key = traditionalKey ? server.TraditionalKeyPem : server.Pkcs8KeyPem;
        var path = directory.WriteFile("server.pem", server.CertificatePem + key);

        var chain = PemCertificateLoader.Load(new CertificateFiles(path, null));

        Assert.True(chain.Leaf.HasPrivateKey);
        Assert.Equal(server.Fingerprint, chain.Leaf.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Empty(chain.Intermediates);
        if (rsa)
        {
            Assert.NotNull(chain.Leaf.GetRSAPrivateKey());
        }
        else
        {
            Assert.NotNull(chain.Leaf.GetECDsaPrivateKey());
        }
    }

    [Fact]
    public void Loads_key_first_then_certificate_in_one_file()
    {
        using var directory = new TempDirectory();
        var server = TestPki.IssueServer("mail.example.org", TestPki.CreateRoot("Test Root"));
        var path = directory.WriteFile("server.pem", server.TraditionalKeyPem + server.CertificatePem);

        var chain = PemCertificateLoader.Load(new CertificateFiles(path, null));

        Assert.Equal(server.Fingerprint, chain.Leaf.GetCertHashString(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Loads_chain_with_intermediate_and_separate_key_file()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Test Root");
        var intermediate = TestPki.IssueIntermediate("Test Intermediate", root);
        var server = TestPki.IssueServer("mail.example.org", intermediate, rsa: true);
        var certificatePath = directory.WriteFile("cert.pem", server.CertificatePem + intermediate.CertificatePem);
        var keyPath = directory.WriteFile("key.pem", server.Pkcs8KeyPem);

        var chain = PemCertificateLoader.Load(new CertificateFiles(certificatePath, keyPath));

        Assert.Equal(server.Fingerprint, chain.Leaf.GetCertHashString(HashAlgorithmName.SHA256));
        var only = Assert.Single(chain.Intermediates);
        Assert.Equal(intermediate.Fingerprint, only.GetCertHashString(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Refuses_a_key_that_does_not_match_the_certificate()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Test Root");
        var server = TestPki.IssueServer("mail.example.org", root);
        var other = TestPki.IssueServer("other.example.org", root);
        var certificatePath = directory.WriteFile("cert.pem", server.CertificatePem);
        var keyPath = directory.WriteFile("key.pem", other.Pkcs8KeyPem);

        var error = Assert.Throws<TlsConfigurationException>(() => PemCertificateLoader.Load(new CertificateFiles(certificatePath, keyPath)));

        Assert.Contains(certificatePath, error.Message, StringComparison.Ordinal);
        Assert.Contains(keyPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_file_when_there_is_no_key()
    {
        using var directory = new TempDirectory();
        var server = TestPki.IssueServer("mail.example.org", TestPki.CreateRoot("Test Root"));
        var path = directory.WriteFile("server.pem", server.CertificatePem);

        var error = Assert.Throws<TlsConfigurationException>(() => PemCertificateLoader.Load(new CertificateFiles(path, null)));

        Assert.StartsWith(path + ": no private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_file_when_there_is_no_certificate()
    {
        using var directory = new TempDirectory();
        var server = TestPki.IssueServer("mail.example.org", TestPki.CreateRoot("Test Root"));
        var path = directory.WriteFile("server.pem", server.Pkcs8KeyPem);

        var error = Assert.Throws<TlsConfigurationException>(() => PemCertificateLoader.Load(new CertificateFiles(path, null)));

        Assert.StartsWith(path + ": no CERTIFICATE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_encrypted_key_with_advice()
    {
        using var directory = new TempDirectory();
        var server = TestPki.IssueServer("mail.example.org", TestPki.CreateRoot("Test Root"));
        var encrypted = server.Key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        var path = directory.WriteFile("server.pem", server.CertificatePem + encrypted);

        var error = Assert.Throws<TlsConfigurationException>(() => PemCertificateLoader.Load(new CertificateFiles(path, null)));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_missing_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "postern-missing-" + Guid.NewGuid().ToString("N") + ".pem");

        var error = Assert.Throws<TlsConfigurationException>(() => PemCertificateLoader.Load(new CertificateFiles(path, null)));

        Assert.StartsWith(path + ": cannot read the certificate file", error.Message, StringComparison.Ordinal);
    }
}
