using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Authority;
using Postern.Pki.Certificates;
using Postern.Pki.Tls;

namespace Postern.Tests.Pki.Authority;

public sealed class CertificateAuthorityTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Init_makes_a_CA_certificate_that_can_only_sign_leaves_and_a_0600_key()
    {
        using var ca = new TestCa();
        var certificate = ca.Authority.Certificate;
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(constraints.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal("/C=US/ST=Washington/O=Foo Enterprises/CN=Joe's Certificate Authority", DistinguishedNameFormatter.ToSendmail(certificate.SubjectName));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(ca.Authority.Layout.KeyFile));
        Assert.Empty(ca.Authority.Entries());
    }

    [Fact]
    public void Init_refuses_to_overwrite_an_existing_CA()
    {
        using var ca = new TestCa();
        var before = File.ReadAllText(ca.Authority.Layout.KeyFile);
        var e = Assert.Throws<CaException>(() => CertificateAuthority.Create(new CaInitOptions(ca.Directory, "Another CA", null, KeyAlgorithm.EcdsaP256, 10), ca.Clock));
        Assert.Equal(CaErrorKind.Exists, e.Kind);
        Assert.Contains(ca.Authority.Layout.CertificateFile, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(ca.Authority.Layout.KeyFile));
    }

    [Fact]
    public void Init_refuses_a_host_name_as_the_CA_name()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postern-ca-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<CaException>(() => CertificateAuthority.Create(new CaInitOptions(directory, "mail.example.org", null, KeyAlgorithm.EcdsaP256, 10), TimeProvider.System));
        Assert.Equal(CaErrorKind.Usage, e.Kind);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void A_client_certificate_verifies_as_a_client_against_the_CA_with_clientAuth_and_the_email()
    {
        using var ca = new TestCa();
        var entry = ca.IssueClient().Entry;
        using var certificate = Load(entry.CertificateFile, out var chain);
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var result = CertificateVerifier.VerifyClient(certificate, [], [ca.Authority.Certificate], null, ca.Clock.GetUtcNow());
        Assert.Equal(VerifyResult.Ok, result.Result);
        Assert.Equal("/C=US/ST=Washington/O=Foo Enterprises/CN=Joe User", result.Certificate!.Subject);
        Assert.Equal(["joe@example.org"], result.Certificate.EmailAddresses);
        // The chain file is the certificate, then the CA.
        Assert.Equal(ca.Authority.Certificate.Thumbprint, Assert.Single(chain).Thumbprint);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(entry.KeyFile));
        // As a server certificate it is not valid: wrong usage.
        Assert.Equal(VerifyResult.Fail, CertificateVerifier.VerifyServer(certificate, [], [ca.Authority.Certificate], "Joe User", ca.Clock.GetUtcNow()).Result);
    }

    [Fact]
    public void A_server_certificate_is_valid_for_its_host_and_IP_and_not_for_others()
    {
        using var ca = new TestCa();
        var entry = ca.IssueServer().Entry;
        using var certificate = Load(entry.CertificateFile, out _);
        var now = ca.Clock.GetUtcNow();
        Assert.Equal(VerifyResult.Ok, CertificateVerifier.VerifyServer(certificate, [], [ca.Authority.Certificate], "mail.example.org", now).Result);
        Assert.Equal(VerifyResult.Ok, CertificateVerifier.VerifyServer(certificate, [], [ca.Authority.Certificate], "127.0.0.1", now).Result);
        var other = CertificateVerifier.VerifyServer(certificate, [], [ca.Authority.Certificate], "mx.example.net", now);
        Assert.Equal(VerifyFailure.HostNameMismatch, other.Failure);
        Assert.Equal(VerifyResult.Fail, CertificateVerifier.VerifyClient(certificate, [], [ca.Authority.Certificate], null, now).Result);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry.KeyFile));
        // serve can load the pair as configured certificate files.
        var loaded = PemCertificateLoader.Load(new CertificateFiles(entry.CertificateFile, entry.KeyFile));
        Assert.True(loaded.Leaf.HasPrivateKey);
        loaded.Leaf.Dispose();
    }

    [Fact]
    public void An_RSA_server_certificate_also_allows_key_encipherment()
    {
        using var ca = new TestCa();
        var entry = ca.IssueServer(key: KeyAlgorithm.Rsa3072).Entry;
        using var certificate = Load(entry.CertificateFile, out _);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        using var rsa = certificate.GetRSAPublicKey();
        Assert.Equal(3072, rsa!.KeySize);
        Assert.Equal("rsa-3072", entry.KeyAlgorithm);
    }

    [Fact]
    public void The_same_name_is_not_issued_twice_and_serials_count_up()
    {
        using var ca = new TestCa();
        var first = ca.IssueClient().Entry;
        var e = Assert.Throws<CaException>(() => ca.IssueClient());
        Assert.Equal(CaErrorKind.Exists, e.Kind);
        var second = ca.IssueClient("Jane User").Entry;
        Assert.Equal(System.Numerics.BigInteger.Parse("0" + first.Serial, System.Globalization.NumberStyles.HexNumber) + 1,
            System.Numerics.BigInteger.Parse("0" + second.Serial, System.Globalization.NumberStyles.HexNumber));
        Assert.Equal(2, ca.Authority.Entries().Count);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void Names_that_would_escape_or_hide_files_are_refused(string name)
    {
        using var ca = new TestCa();
        Assert.Equal(CaErrorKind.Usage, Assert.Throws<CaException>(() => ca.IssueClient(name)).Kind);
    }

    [Fact]
    public void Renewal_keeps_the_key_and_the_SPKI_unless_a_new_key_is_asked_for()
    {
        using var ca = new TestCa();
        var original = ca.IssueClient().Entry;
        var keyText = File.ReadAllText(original.KeyFile);
        ca.Clock.Advance(TimeSpan.FromDays(300));

        var kept = ca.Authority.Renew("Joe User", null, newKey: false, ca.Clock);
        Assert.True(kept.KeyKept);
        Assert.Equal(original.SpkiSha256, kept.Current.SpkiSha256);
        Assert.NotEqual(original.FingerprintSha256, kept.Current.FingerprintSha256);
        Assert.Equal(original.Subject, kept.Current.Subject);
        Assert.Equal(original.EmailAddresses, kept.Current.EmailAddresses);
        Assert.Equal(keyText, File.ReadAllText(original.KeyFile));
        Assert.Equal(ca.Clock.GetUtcNow().AddDays(365), kept.Current.NotAfter);
        using (var renewed = Load(original.CertificateFile, out _))
        {
            Assert.Equal(original.SpkiSha256, CertificateFingerprint.SpkiSha256(renewed));
            Assert.Equal(VerifyResult.Ok, CertificateVerifier.VerifyClient(renewed, [], [ca.Authority.Certificate], null, ca.Clock.GetUtcNow()).Result);
        }

        var fresh = ca.Authority.Renew("Joe User", 30, newKey: true, ca.Clock);
        Assert.False(fresh.KeyKept);
        Assert.NotEqual(original.SpkiSha256, fresh.Current.SpkiSha256);
        Assert.NotEqual(keyText, File.ReadAllText(original.KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(original.KeyFile));
        var entries = ca.Authority.Entries();
        Assert.Equal(3, entries.Count);
        Assert.Equal(kept.Current.Serial, entries[0].ReplacedBy);
        Assert.Single(entries, e => e.IsCurrent);
    }

    [Fact]
    public void Validity_is_cut_to_the_CAs_own_end()
    {
        using var ca = new TestCa(days: 100);
        var issued = ca.IssueClient(days: 825);
        Assert.True(issued.ShortenedToCaExpiry);
        Assert.Equal(ca.Authority.Certificate.NotAfter.ToUniversalTime(), issued.Entry.NotAfter.UtcDateTime);
    }

    [Fact]
    public void The_issued_client_chain_passes_openssl_verify_as_an_sslclient()
    {
        if (!OpenSslTool.IsAvailable)
        {
            return; // test.sh installs openssl; without it there is no oracle here
        }
        using var ca = new TestCa();
        var client = ca.IssueClient().Entry;
        var server = ca.IssueServer().Entry;
        Assert.True(OpenSslTool.Run(["verify", "-CAfile", ca.Authority.Layout.CertificateFile, "-purpose", "sslclient", client.CertificateFile], out var output), output);
        Assert.Contains(": OK", output, StringComparison.Ordinal);
        Assert.True(OpenSslTool.Run(["verify", "-CAfile", ca.Authority.Layout.CertificateFile, "-purpose", "sslserver", "-verify_hostname", "mail.example.org", server.CertificateFile], out output), output);
        Assert.False(OpenSslTool.Run(["verify", "-CAfile", ca.Authority.Layout.CertificateFile, "-purpose", "sslserver", client.CertificateFile], out _));
    }

    private static X509Certificate2 Load(string path, out List<X509Certificate2> rest)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(File.ReadAllText(path));
        rest = [.. all.Skip(1)];
        return all[0];
    }
}
