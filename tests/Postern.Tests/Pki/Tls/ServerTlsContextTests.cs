using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class ServerTlsContextTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly TestCertificate root = TestPki.CreateRoot("Test Root", rsa: true);
    private readonly List<(X509Certificate2 Certificate, int Intermediates)> verified = [];

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Negotiates_tls12_and_tls13_with_a_default_suite(SslProtocols protocol)
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("mail.example.org", protocol));

        Assert.Null(connection.ClientError);
        Assert.Null(connection.ServerError);
        Assert.Equal(protocol, connection.Server.SslProtocol);
        Assert.Contains(connection.Server.NegotiatedCipherSuite, DefaultCipherSuites.All);
    }

    [Fact]
    public async Task Handshakes_with_an_ecdsa_certificate_and_its_intermediate()
    {
        var intermediate = TestPki.IssueIntermediate("Test Intermediate", root);
        var server = TestPki.IssueServer("mail.example.org", intermediate);
        using var context = Context(Write("server", server, intermediate));
        X509Chain? sent = null;
        var options = TlsConnection.ClientOptions("mail.example.org", SslProtocols.Tls12);
#pragma warning disable CA5359 // the test inspects the chain itself
        options.RemoteCertificateValidationCallback = (_, _, chain, _) =>
        {
            sent = chain;
            return true;
        };
#pragma warning restore CA5359

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, options);

        Assert.Null(connection.ClientError);
        Assert.Equal(server.Fingerprint, connection.ServerCertificateFingerprint);
        Assert.Contains(connection.Client.NegotiatedCipherSuite, DefaultCipherSuites.All);
        Assert.StartsWith("TLS_ECDHE_ECDSA_", connection.Client.NegotiatedCipherSuite.ToString(), StringComparison.Ordinal);
        Assert.NotNull(sent);
        Assert.Contains(sent!.ChainPolicy.ExtraStore.Cast<X509Certificate2>(), c => c.Thumbprint == intermediate.Certificate.Thumbprint);
    }

    [Fact]
    public async Task Refuses_a_client_limited_to_tls11()
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));
#pragma warning disable SYSLIB0039, CA5397 // the point is that it is refused
        var options = TlsConnection.ClientOptions("mail.example.org", SslProtocols.Tls11);
#pragma warning restore SYSLIB0039, CA5397

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, options);

        Assert.NotNull(connection.ClientError);
        Assert.NotNull(connection.ServerError);
    }

    [Fact]
    public async Task Refuses_a_client_offering_only_a_cbc_suite()
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));
        var options = TlsConnection.ClientOptions("mail.example.org", SslProtocols.Tls12);
        options.CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256]);

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, options);

        Assert.NotNull(connection.ClientError);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Ask_mode_completes_the_handshake_with_a_certificate_the_verifier_fails(SslProtocols protocol)
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));
        var stranger = TestPki.IssueClient("laptop.example.org", TestPki.CreateRoot("Unknown CA"));
        var options = TlsConnection.ClientOptions("mail.example.org", protocol);
        options.ClientCertificates = [stranger.Certificate];
        options.LocalCertificateSelectionCallback = (_, _, _, _, _) => stranger.Certificate;

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.Ask, options);

        Assert.Null(connection.ClientError);
        Assert.Null(connection.ServerError);
        var presented = Assert.IsType<X509Certificate2>(connection.Server.RemoteCertificate);
        Assert.Equal(stranger.Certificate.Thumbprint, presented.Thumbprint);
        var verification = context.VerifyClient(presented, []);
        Assert.Equal(VerifyResult.Fail, verification.Result);
        Assert.Equal(stranger.Certificate.Thumbprint, Assert.Single(verified).Certificate.Thumbprint);
    }

    [Fact]
    public async Task Ask_mode_without_a_client_certificate_completes_the_handshake()
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));

        await using var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.Ask, TlsConnection.ClientOptions("mail.example.org"));

        Assert.Null(connection.ServerError);
        Assert.Null(connection.Server.RemoteCertificate);
    }

    [Fact]
    public void Options_follow_the_mode_and_the_material()
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));

        var none = context.CreateServerOptions(null, ClientCertificateMode.None);
        var require = context.CreateServerOptions("mail.example.org", ClientCertificateMode.Require);

        Assert.False(none.ClientCertificateRequired);
        Assert.True(require.ClientCertificateRequired);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, require.EnabledSslProtocols);
        Assert.Equal(X509RevocationMode.NoCheck, require.CertificateRevocationCheckMode);
        Assert.True(require.AllowTlsResume);
        Assert.Same(context.Material.Certificates[0].Context, require.ServerCertificateContext);
        Assert.True(require.RemoteCertificateValidationCallback!(this, null, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_tls13_client_gets_a_tls13_only_context_without_a_suite_policy_so_sessions_resume()
    {
        using var context = Context(Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true)));

        var tls13 = context.CreateServerOptions("mail.example.org", new ClientHelloFacts(SslProtocols.Tls12 | SslProtocols.Tls13, true), ClientCertificateMode.Ask);
        var tls12 = context.CreateServerOptions("mail.example.org", new ClientHelloFacts(SslProtocols.Tls12, true), ClientCertificateMode.Ask);

        Assert.Equal(SslProtocols.Tls13, tls13.EnabledSslProtocols);
        Assert.Null(tls13.CipherSuitesPolicy);
        Assert.True(tls13.AllowTlsResume);
        Assert.True(tls13.ClientCertificateRequired);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, tls12.EnabledSslProtocols);
        Assert.Same(context.Material.CipherSuites, tls12.CipherSuitesPolicy);
    }

    [Fact]
    public void Configured_tls13_suites_other_than_openssl_defaults_keep_the_explicit_policy()
    {
        var files = Write("server", TestPki.IssueServer("mail.example.org", root, rsa: true));
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("generated"),
            ServerCertificates = [files],
            CipherSuites = [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384],
        };
        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");
        using var context = new ServerTlsContext(settings, "mail.example.org", material, Verify);

        var options = context.CreateServerOptions(null, new ClientHelloFacts(SslProtocols.Tls13, null), ClientCertificateMode.None);

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Same(material.CipherSuites, options.CipherSuitesPolicy);
    }

    [Fact]
    public async Task Picks_the_certificate_by_sni_in_a_handshake()
    {
        var main = TestPki.IssueServer("mail.example.org", root, rsa: true);
        var other = TestPki.IssueServer("wild", root, true, "*.example.net");
        using var context = Context(Write("main", main), Write("other", other));

        await using var byWildcard = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("mx.example.net"));
        await using var byDefault = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("elsewhere.example.com"));

        Assert.Equal(other.Fingerprint, byWildcard.ServerCertificateFingerprint);
        Assert.Equal(main.Fingerprint, byDefault.ServerCertificateFingerprint);
    }

    [Fact]
    public async Task Reload_picks_up_a_replaced_certificate_and_keeps_it_when_the_next_is_broken()
    {
        var first = TestPki.IssueServer("mail.example.org", root, rsa: true);
        var second = TestPki.IssueServer("mail.example.org", root);
        var files = Write("server", first);
        using var context = Context(files);

        Write("server", second);
        Assert.True(context.TryReload(out var error));
        Assert.Null(error);
        await using (var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("mail.example.org")))
        {
            Assert.Equal(second.Fingerprint, connection.ServerCertificateFingerprint);
        }

        File.WriteAllText(files.CertificateFile, "-----BEGIN CERTIFICATE-----\ngarbage\n");
        Assert.False(context.TryReload(out error));
        Assert.StartsWith(files.CertificateFile + ":", error, StringComparison.Ordinal);
        await using (var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("mail.example.org")))
        {
            Assert.Equal(second.Fingerprint, connection.ServerCertificateFingerprint);
        }
    }

    [Fact]
    public async Task The_watcher_reloads_changed_files_and_logs_it()
    {
        var first = TestPki.IssueServer("mail.example.org", root, rsa: true);
        var second = TestPki.IssueServer("mail.example.org", root);
        var files = Write("server", first);
        using var context = Context(files);
        var clock = new FakeTimeProvider();
        var logger = new CollectingLogger();
        context.StartWatching(TimeSpan.FromMinutes(1), clock, logger);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(logger.Messages); // nothing changed, nothing reloaded

        Write("server", second);
        Touch(files);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal([$"reloaded TLS certificates ({files.CertificateFile}, {files.KeyFile})"], logger.Messages);
        await using (var connection = await TlsConnection.HandshakeAsync(context, ClientCertificateMode.None, TlsConnection.ClientOptions("mail.example.org")))
        {
            Assert.Equal(second.Fingerprint, connection.ServerCertificateFingerprint);
        }

        File.WriteAllText(files.KeyFile!, "broken");
        clock.Advance(TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, logger.Messages.Count); // the error once, not on every tick
        Assert.StartsWith("TLS certificates not reloaded, keeping the previous ones: " + files.KeyFile, logger.Messages[1], StringComparison.Ordinal);
        Assert.Equal(second.Fingerprint, context.Material.Certificates[0].Leaf.GetCertHashString(HashAlgorithmName.SHA256));
    }

    private ServerTlsContext Context(params CertificateFiles[] files)
    {
        var settings = new TlsSettings { GeneratedCertificateDirectory = directory.Combine("generated"), ServerCertificates = files };
        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");
        return new ServerTlsContext(settings, "mail.example.org", material, Verify);
    }

    private CertificateVerification Verify(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> intermediates, TlsMaterial material)
    {
        Assert.NotNull(material.TrustAnchors);
        verified.Add((certificate, intermediates.Count));
        return new CertificateVerification(VerifyResult.Fail, VerifyFailure.Untrusted, "unable to get local issuer certificate", null);
    }

    private CertificateFiles Write(string name, TestCertificate certificate, TestCertificate? intermediate = null) =>
        TlsMaterialLoaderTests.Write(directory, name, certificate, intermediate);

    private static void Touch(CertificateFiles files)
    {
        // Sizes differ anyway, but a distinct time makes the change visible on any file system.
        var later = DateTime.UtcNow.AddMinutes(5);
        File.SetLastWriteTimeUtc(files.CertificateFile, later);
        File.SetLastWriteTimeUtc(files.KeyFile!, later);
    }
}
