using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class SelfSignedCertificateGeneratorTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Creates_a_local_ca_and_a_server_certificate_with_private_modes()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("tls");

        var generated = SelfSignedCertificateGenerator.Ensure(directory, "mail.example.org", Clock);

        Assert.True(generated.Created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(generated.Files.KeyFile!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "ca.key")));
        Assert.Equal(Path.Combine(directory, "server.pem"), generated.Files.CertificateFile);
        Assert.Equal(Path.Combine(directory, "ca.pem"), generated.CaCertificateFile);

        var chain = PemCertificateLoader.Load(generated.Files);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(generated.CaCertificateFile));
        var server = chain.Leaf;
        Assert.Equal("mail.example.org", server.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal("Postern local CA for mail.example.org", ca.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(ca.SubjectName.Name, server.IssuerName.Name);
        Assert.Equal(ca.Thumbprint, Assert.Single(chain.Intermediates).Thumbprint); // server.pem = server + CA
        Assert.NotNull(server.GetECDsaPublicKey());
        Assert.Equal(256, server.GetECDsaPublicKey()!.KeySize);

        var usage = Assert.Single(server.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var san = Assert.Single(server.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["mail.example.org"], san.EnumerateDnsNames());
        Assert.Empty(san.EnumerateIPAddresses());
        Assert.Equal(Clock.GetUtcNow().AddDays(825).UtcDateTime, server.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(Clock.GetUtcNow().AddYears(10).UtcDateTime, ca.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

        using var verify = new X509Chain();
        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verify.ChainPolicy.CustomTrustStore.Add(ca);
        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verify.ChainPolicy.VerificationTime = Clock.GetUtcNow().UtcDateTime.AddDays(1);
        Assert.True(verify.Build(server), string.Join(", ", verify.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Reuses_the_files_on_the_next_start()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("tls");
        var first = SelfSignedCertificateGenerator.Ensure(directory, "mail.example.org", Clock);
        var before = File.ReadAllText(first.Files.CertificateFile);

        var second = SelfSignedCertificateGenerator.Ensure(directory, "mail.example.org", Clock);

        Assert.False(second.Created);
        Assert.Equal(first.Files, second.Files);
        Assert.Equal(before, File.ReadAllText(second.Files.CertificateFile));
    }

    [Fact]
    public void Makes_a_new_certificate_when_the_host_name_changed()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("tls");
        SelfSignedCertificateGenerator.Ensure(directory, "old.example.org", Clock);

        var renamed = SelfSignedCertificateGenerator.Ensure(directory, "new.example.org", Clock);

        Assert.True(renamed.Created);
        Assert.Equal("new.example.org", PemCertificateLoader.Load(renamed.Files).Leaf.GetNameInfo(X509NameType.SimpleName, false));
    }

    [Fact]
    public void Localhost_gets_loopback_addresses()
    {
        using var temp = new TempDirectory();

        var generated = SelfSignedCertificateGenerator.Ensure(temp.Combine("tls"), "localhost", Clock);

        var san = PemCertificateLoader.Load(generated.Files).Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
    }
}
