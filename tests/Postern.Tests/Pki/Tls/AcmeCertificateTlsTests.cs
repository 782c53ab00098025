using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

/// <summary>
/// The ACME live files (key and chain in one file) as the server's certificates when none is
/// configured, the self-signed fallback until they exist, and the relay's "acme" client certificate.
/// </summary>
public sealed class AcmeCertificateTlsTests : IDisposable
{
    private const string HostName = "mail.example.org";
    private readonly TempDirectory directory = new();
    private readonly TestCertificate root = TestPki.CreateRoot("ACME Test Root", rsa: true);

    public void Dispose() => directory.Dispose();

    private CertificateFiles EcdsaLive => new(directory.Combine("acme", "live", "ecdsa.pem"), null);

    private CertificateFiles RsaLive => new(directory.Combine("acme", "live", "rsa.pem"), null);

    [Fact]
    public void Before_the_first_issuance_the_generated_certificate_serves_and_the_log_says_so()
    {
        var (material, warnings) = TlsMaterialLoader.Load(Settings(EcdsaLive), HostName);

        Assert.True(material.UsesGeneratedCertificate);
        Assert.StartsWith(directory.Combine("generated"), material.Certificates[0].Files.CertificateFile, StringComparison.Ordinal);
        Assert.Contains($"serving the self-signed certificate for {HostName} until ACME issues one", warnings);
    }

    [Fact]
    public void A_live_file_is_the_server_certificate_once_it_exists()
    {
        var issued = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));

        var (material, warnings) = TlsMaterialLoader.Load(Settings(EcdsaLive), HostName);

        Assert.False(material.UsesGeneratedCertificate);
        var certificate = Assert.Single(material.Certificates);
        Assert.Equal(issued.Fingerprint, certificate.Leaf.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.Equal(EcdsaLive, certificate.Files);
        Assert.DoesNotContain(warnings, w => w.Contains("self-signed", StringComparison.Ordinal));
        Assert.False(Directory.Exists(directory.Combine("generated")), "nothing is generated while ACME's certificate serves");
    }

    [Fact]
    public void A_configured_server_certificate_wins_over_the_acme_one()
    {
        WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        var configured = TlsMaterialLoaderTests.Write(directory, "configured", TestPki.IssueServer(HostName, root, rsa: true));

        var (material, _) = TlsMaterialLoader.Load(Settings(EcdsaLive) with { ServerCertificates = [configured] }, HostName);

        Assert.Equal(configured, Assert.Single(material.Certificates).Files);
    }

    [Fact]
    public void An_unusable_live_file_is_skipped_with_a_warning_and_the_other_one_serves()
    {
        Directory.CreateDirectory(directory.Combine("acme", "live"));
        File.WriteAllText(EcdsaLive.CertificateFile, "-----BEGIN CERTIFICATE-----\ngarbage\n");
        WriteLive(RsaLive, TestPki.IssueServer(HostName, root, rsa: true));

        var (material, warnings) = TlsMaterialLoader.Load(Settings(EcdsaLive, RsaLive), HostName);

        Assert.Equal(RsaLive, Assert.Single(material.Certificates).Files);
        Assert.Contains(warnings, w => w.StartsWith($"the ACME certificate is not used: {EcdsaLive.CertificateFile}", StringComparison.Ordinal));

        File.Delete(RsaLive.CertificateFile);
        var (fallback, _) = TlsMaterialLoader.Load(Settings(EcdsaLive, RsaLive), HostName);
        Assert.True(fallback.UsesGeneratedCertificate);
    }

    [Fact]
    public void Both_key_types_load_and_the_clients_preference_picks_one()
    {
        var ecdsa = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        var rsa = WriteLive(RsaLive, TestPki.IssueServer(HostName, root, rsa: true));

        var (material, _) = TlsMaterialLoader.Load(Settings(EcdsaLive, RsaLive), HostName);

        Assert.Equal([true, false], material.Certificates.Select(c => c.IsEcdsa));
        Assert.Equal(ecdsa.Fingerprint, Fingerprint(material.Select(HostName, clientAcceptsEcdsa: true)));
        Assert.Equal(rsa.Fingerprint, Fingerprint(material.Select(HostName, clientAcceptsEcdsa: false)));
        Assert.Equal(rsa.Fingerprint, Fingerprint(material.Select(null, clientAcceptsEcdsa: false)));
        Assert.Equal(ecdsa.Fingerprint, Fingerprint(material.Select(HostName)));
    }

    [Fact]
    public void Another_key_type_for_other_names_is_never_picked()
    {
        var ecdsa = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        WriteLive(RsaLive, TestPki.IssueServer("other.example.org", root, rsa: true));

        var (material, _) = TlsMaterialLoader.Load(Settings(EcdsaLive, RsaLive), HostName);

        Assert.Equal(ecdsa.Fingerprint, Fingerprint(material.Select(HostName, clientAcceptsEcdsa: false)));
    }

    [Fact]
    public async Task The_watcher_swaps_in_the_issued_certificate_and_a_renewal_while_open_sessions_keep_theirs()
    {
        var settings = Settings(EcdsaLive);
        var (material, _) = TlsMaterialLoader.Load(settings, HostName);
        using var context = new ServerTlsContext(settings, HostName, material, TimeProvider.System);
        var clock = new FakeTimeProvider();
        var logger = new CollectingLogger();
        context.StartWatching(TimeSpan.FromSeconds(5), clock, logger);
        await using var before = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions(HostName));
        Assert.True(context.Material.UsesGeneratedCertificate);

        var issued = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Contains(logger.Messages, m => m.StartsWith("reloaded TLS certificates (" + EcdsaLive.CertificateFile, StringComparison.Ordinal));
        await using (var first = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions(HostName)))
        {
            Assert.Equal(issued.Fingerprint, first.ServerCertificateFingerprint);
        }

        var renewed = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        File.SetLastWriteTimeUtc(EcdsaLive.CertificateFile, DateTime.UtcNow.AddMinutes(5));
        clock.Advance(TimeSpan.FromSeconds(5));

        await using (var second = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions(HostName)))
        {
            Assert.Equal(renewed.Certificate.Thumbprint, ((X509Certificate2)second.Client.RemoteCertificate!).Thumbprint);
        }
        // The session opened before any of it still talks over its own (generated) certificate.
        await before.Client.WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        await before.Server.ReadExactlyAsync(buffer);
        Assert.Equal("ping"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task The_acme_client_certificate_is_none_until_issued_then_presented()
    {
        var settings = Settings(EcdsaLive) with { ClientCertificate = EcdsaLive, ClientCertificateFromAcme = true };
        using var context = new ClientTlsContext(settings, null, TimeProvider.System);

        Assert.Null(context.Material.ClientCertificate);
        var warning = Assert.Single(context.Warnings);
        Assert.Equal($"tls.client_cert = \"acme\": no ACME certificate yet ({EcdsaLive.CertificateFile}); relaying presents no client certificate until ACME issues one", warning);

        var clock = new FakeTimeProvider();
        var logger = new CollectingLogger();
        context.StartWatching(TimeSpan.FromSeconds(5), clock, logger);
        var issued = WriteLive(EcdsaLive, TestPki.IssueServer(HostName, root));
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.NotNull(context.Material.ClientCertificate);
        Assert.Empty(context.Warnings);
        using var server = ServerContext();
        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions(HostName));
        Assert.Null(connection.ClientError);
        Assert.Equal(issued.Certificate.Thumbprint, ((X509Certificate2)connection.Server.RemoteCertificate!).Thumbprint);
    }

    [Fact]
    public void A_missing_client_certificate_stays_an_error_when_it_is_not_the_acme_one()
    {
        var settings = Settings(EcdsaLive) with { ClientCertificate = EcdsaLive };

        Assert.Throws<TlsConfigurationException>(() => new ClientTlsContext(settings, null, TimeProvider.System));
    }

    private TlsSettings Settings(params CertificateFiles[] acme) =>
        new() { GeneratedCertificateDirectory = directory.Combine("generated"), AcmeCertificates = acme };

    /// <summary>Writes a live file the way the ACME store does: private key, then the chain leaf first, 0600.</summary>
    private static TestCertificate WriteLive(CertificateFiles live, TestCertificate certificate)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(live.CertificateFile)!);
        File.WriteAllText(live.CertificateFile, certificate.Pkcs8KeyPem + certificate.CertificatePem);
        File.SetUnixFileMode(live.CertificateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return certificate;
    }

    private ServerTlsContext ServerContext()
    {
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("server-generated"),
            ServerCertificates = [TlsMaterialLoaderTests.Write(directory, "server", TestPki.IssueServer("relay-target.example.org", root))],
        };
        var (material, _) = TlsMaterialLoader.Load(settings, "relay-target.example.org");
        return new ServerTlsContext(settings, "relay-target.example.org", material, TimeProvider.System);
    }

    private static string Fingerprint(ServerCertificate certificate) => certificate.Leaf.GetCertHashString(HashAlgorithmName.SHA256);
}
