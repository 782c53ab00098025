using System.Net.Security;
using System.Security.Authentication;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class TlsMaterialLoaderTests
{
    [Fact]
    public void Selects_by_sni_exact_then_wildcard_then_default()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Test Root");
        var main = Write(directory, "main", TestPki.IssueServer("mail.example.org", root));
        var wildcard = Write(directory, "wild", TestPki.IssueServer("wild", root, false, "*.example.net"));
        var exact = Write(directory, "exact", TestPki.IssueServer("smtp.example.net", root));
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("gen"), ServerCertificates = [main, wildcard, exact] };

        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Same(material.Certificates[2], material.Select("smtp.example.net"));
        Assert.Same(material.Certificates[2], material.Select("SMTP.Example.NET."));
        Assert.Same(material.Certificates[1], material.Select("mx.example.net"));
        Assert.Same(material.Certificates[0], material.Select("a.b.example.net")); // a wildcard covers one label only
        Assert.Same(material.Certificates[0], material.Select("unknown.example.com"));
        Assert.Same(material.Certificates[0], material.Select(null));
        Assert.Equal(["*.example.net"], material.Certificates[1].Names);
    }

    [Fact]
    public void Generates_a_certificate_when_none_is_configured_and_says_where()
    {
        using var directory = new TempDirectory();
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("tls") };

        var (material, warnings) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Equal(["mail.example.org"], material.Certificates[0].Names);
        Assert.Contains(warnings, w => w.Contains(directory.Combine("tls"), StringComparison.Ordinal));
        var (_, again) = TlsMaterialLoader.Load(settings, "mail.example.org");
        Assert.Empty(again);
    }

    [Fact]
    public void The_chain_in_the_certificate_file_is_sent_up_to_the_root_and_the_root_left_out_is_named()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Test Root");
        var intermediate = TestPki.IssueIntermediate("Test Issuing CA", root);
        var leaf = TestPki.IssueServer("mail.example.org", intermediate);
        var path = directory.WriteFile("chain.pem", leaf.CertificatePem + intermediate.CertificatePem + root.CertificatePem);
        var key = directory.WriteFile("chain.key", leaf.Pkcs8KeyPem);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("gen"), ServerCertificates = [new CertificateFiles(path, key)] };

        var (material, warnings) = TlsMaterialLoader.Load(settings, "mail.example.org");

        var sent = Assert.Single(material.Certificates[0].Context.IntermediateCertificates);
        Assert.Equal(intermediate.Certificate.Thumbprint, sent.Thumbprint);
        Assert.Equal([$"{path}: the root CA /CN=Test Root is not sent to clients (a root is never sent; clients that verify must have it)"], warnings);
    }

    [Fact]
    public void The_generated_certificate_leaves_its_local_ca_out_without_a_warning_at_every_start()
    {
        using var directory = new TempDirectory();
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("tls") };
        TlsMaterialLoader.Load(settings, "mail.example.org");

        var (material, warnings) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Empty(material.Certificates[0].Context.IntermediateCertificates);
        Assert.Single(material.Certificates[0].Intermediates); // the CA is in server.pem, for clients to copy
        Assert.Empty(warnings);
    }

    [Fact]
    public void Warns_about_an_exposed_key_and_a_certificate_not_covering_the_host_name()
    {
        using var directory = new TempDirectory();
        var files = Write(directory, "main", TestPki.IssueServer("other.example.org", TestPki.CreateRoot("Test Root")));
        File.SetUnixFileMode(files.KeyFile!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("gen"), ServerCertificates = [files] };

        var (_, warnings) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith(files.KeyFile + ": private key file has mode 0604", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("covers the host name mail.example.org", StringComparison.Ordinal));
    }

    [Fact]
    public void Carries_trust_anchors_and_what_the_crls_revoke()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Client Root");
        var revoked = TestPki.IssueClient("Revoked User", root);
        var crlPath = directory.Combine("crls");
        Directory.CreateDirectory(crlPath);
        File.WriteAllBytes(Path.Combine(crlPath, "a.r0"), Postern.Tests.Pki.TestCrls.Create(root.Certificate, DateTimeOffset.UtcNow.AddDays(7), revoked.Certificate));
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("gen"),
            CaFile = directory.WriteFile("ca.pem", root.CertificatePem),
            CrlFile = directory.WriteFile("crl.pem", Postern.Tests.Pki.TestCrls.ToPem(Postern.Tests.Pki.TestCrls.Create(root.Certificate, DateTimeOffset.UtcNow.AddDays(7)))),
            CrlPath = crlPath,
        };

        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Equal(root.Certificate.Thumbprint, Assert.Single(material.TrustAnchors).Thumbprint);
        Assert.Equal(2, material.Revocations.Count);
        Assert.Contains(material.Revocations, r => r.Serials.Contains(revoked.Certificate.SerialNumber));
    }

    [Fact]
    public void A_crl_not_signed_by_a_configured_ca_refuses_the_load()
    {
        using var directory = new TempDirectory();
        var root = TestPki.CreateRoot("Client Root");
        var other = TestPki.CreateRoot("Other Root");
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("gen"),
            CaFile = directory.WriteFile("ca.pem", root.CertificatePem),
            CrlFile = directory.WriteFile("crl.der", Postern.Tests.Pki.TestCrls.ToPem(Postern.Tests.Pki.TestCrls.Create(other.Certificate, DateTimeOffset.UtcNow.AddDays(7)))),
        };

        var error = Assert.Throws<TlsConfigurationException>(() => TlsMaterialLoader.Load(settings, "mail.example.org"));
        Assert.Contains("crl_file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Protocols_are_tls12_and_13_or_13_alone()
    {
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, TlsMaterialLoader.Protocols(SslProtocols.Tls12));
        Assert.Equal(SslProtocols.Tls13, TlsMaterialLoader.Protocols(SslProtocols.Tls13));
#pragma warning disable SYSLIB0039, CA5397 // the point is that it is refused
        Assert.Throws<TlsConfigurationException>(() => TlsMaterialLoader.Protocols(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039, CA5397
    }

    [Fact]
    public void Default_cipher_suites_are_forward_secret_aead_only()
    {
        var names = DefaultCipherSuites.All.Select(s => s.ToString()).ToList();

        Assert.Contains("TLS_AES_256_GCM_SHA384", names);
        Assert.Contains("TLS_CHACHA20_POLY1305_SHA256", names);
        Assert.Contains("TLS_AES_128_GCM_SHA256", names);
        Assert.Contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", names);
        Assert.Contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", names);
        foreach (var name in names)
        {
            Assert.DoesNotContain("CBC", name, StringComparison.Ordinal);
            Assert.DoesNotContain("NULL", name, StringComparison.Ordinal);
            Assert.DoesNotContain("EXPORT", name, StringComparison.Ordinal);
            Assert.DoesNotContain("RC4", name, StringComparison.Ordinal);
            Assert.DoesNotContain("3DES", name, StringComparison.Ordinal);
            Assert.DoesNotContain("anon", name, StringComparison.Ordinal);
            Assert.True(name.EndsWith("GCM_SHA256", StringComparison.Ordinal) || name.EndsWith("GCM_SHA384", StringComparison.Ordinal) || name.EndsWith("POLY1305_SHA256", StringComparison.Ordinal), name);
            // TLS 1.3 suites name no key exchange (always ephemeral); TLS 1.2 ones must be ECDHE.
            Assert.True(!name.Contains("_WITH_", StringComparison.Ordinal) || name.StartsWith("TLS_ECDHE_", StringComparison.Ordinal), name);
        }
    }

    [Fact]
    public void Configured_cipher_suites_replace_the_default()
    {
        using var directory = new TempDirectory();
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("tls"),
            CipherSuites = [TlsCipherSuite.TLS_AES_256_GCM_SHA384],
        };

        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");

        Assert.Equal([TlsCipherSuite.TLS_AES_256_GCM_SHA384], material.CipherSuiteList);
    }

    internal static CertificateFiles Write(TempDirectory directory, string name, TestCertificate certificate, TestCertificate? intermediate = null)
    {
        var certificatePath = directory.WriteFile(name + ".pem", certificate.CertificatePem + intermediate?.CertificatePem);
        var keyPath = directory.WriteFile(name + ".key", certificate.Pkcs8KeyPem);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new CertificateFiles(certificatePath, keyPath);
    }
}
