using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Postern.Core.Tls;
using Postern.Pki.Tls;
using Postern.Tests.Delivery;

namespace Postern.Tests.Pki.Tls;

public sealed class ClientTlsContextTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly TestCertificate serverRoot = TestPki.CreateRoot("Server Root");
    private readonly TestCertificate clientRoot = TestPki.CreateRoot("Client Root");

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task Presents_the_client_certificate_when_the_server_asks()
    {
        var client = TestPki.IssueClient("relay.example.org", clientRoot);
        using var context = new ClientTlsContext(Settings(Write("client", client)), null, TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions("mail.example.org"));

        Assert.Null(connection.ClientError);
        Assert.Null(connection.ServerError);
        var received = Assert.IsType<X509Certificate2>(connection.Server.RemoteCertificate, exactMatch: false);
        Assert.Equal(client.Certificate.Thumbprint, received.Thumbprint);
    }

    [Fact]
    public async Task Presents_a_routes_own_certificate_instead_of_the_global_one()
    {
        var global = TestPki.IssueClient("relay.example.org", clientRoot);
        var partner = TestPki.IssueClient("partner-relay.example.org", clientRoot);
        var partnerFiles = Write("partner", partner);
        using var context = new ClientTlsContext(Settings(Write("client", global)), null, TimeProvider.System, [partnerFiles]);
        using var server = ServerContext();

        await using var routed = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions("mail.example.org", partnerFiles));
        await using var other = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions("mail.example.org", null));

        Assert.Null(routed.ClientError);
        Assert.Equal(partner.Certificate.Thumbprint, Assert.IsType<X509Certificate2>(routed.Server.RemoteCertificate, exactMatch: false).Thumbprint);
        Assert.Equal(global.Certificate.Thumbprint, Assert.IsType<X509Certificate2>(other.Server.RemoteCertificate, exactMatch: false).Thumbprint);
    }

    [Fact]
    public void A_route_certificate_it_was_not_given_is_a_bug_not_a_silent_fallback()
    {
        using var context = new ClientTlsContext(Settings(), null, TimeProvider.System);

        Assert.Throws<InvalidOperationException>(() => context.CreateClientOptions("mail.example.org", new CertificateFiles("/nowhere.pem", null)));
    }

    [Fact]
    public void A_broken_route_certificate_stops_the_load_and_names_its_file()
    {
        var missing = directory.Combine("missing-partner.pem");

        var error = Assert.Throws<TlsConfigurationException>(() => new ClientTlsContext(Settings(), null, TimeProvider.System, [new CertificateFiles(missing, null)]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_picks_up_a_renewed_route_certificate()
    {
        var partnerFiles = Write("partner", TestPki.IssueClient("partner-relay.example.org", clientRoot));
        using var context = new ClientTlsContext(Settings(), null, TimeProvider.System, [partnerFiles]);
        var renewed = TestPki.IssueClient("partner-relay-2.example.org", clientRoot);
        Write("partner", renewed);

        Assert.True(context.TryReload(out var error), error);

        using var server = ServerContext();
        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions("mail.example.org", partnerFiles));
        Assert.Equal(renewed.Certificate.Thumbprint, Assert.IsType<X509Certificate2>(connection.Server.RemoteCertificate, exactMatch: false).Thumbprint);
    }

    [Fact]
    public async Task Presents_no_certificate_when_none_is_configured()
    {
        using var context = new ClientTlsContext(Settings(), null, TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Ask, context.CreateClientOptions("mail.example.org"));

        Assert.Null(connection.ClientError);
        Assert.Null(connection.ServerError);
        Assert.Null(connection.Server.RemoteCertificate);
        Assert.Null(context.Material.ClientCertificate);
    }

    [Fact]
    public async Task Verifies_a_server_certificate_from_the_configured_ca_with_the_right_name()
    {
        using var context = new ClientTlsContext(Settings(), WriteCa("server-ca.pem", serverRoot), TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, context.CreateClientOptions("mail.example.org"));

        Assert.Null(connection.ClientError);
        var verification = context.VerifyServer(RemoteCertificate(connection), [], "mail.example.org");
        Assert.Equal(VerifyResult.Ok, verification.Result);
        Assert.Equal("OK", verification.Word);
    }

    [Fact]
    public async Task Fails_a_server_certificate_for_another_name()
    {
        using var context = new ClientTlsContext(Settings(), WriteCa("server-ca.pem", serverRoot), TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, context.CreateClientOptions("mx.example.net"));

        Assert.Null(connection.ClientError);
        var verification = context.VerifyServer(RemoteCertificate(connection), [], "mx.example.net");
        Assert.Equal(VerifyResult.Fail, verification.Result);
        Assert.Equal(VerifyFailure.HostNameMismatch, verification.Failure);
    }

    [Fact]
    public async Task Fails_a_server_certificate_from_a_ca_that_is_not_configured()
    {
        using var context = new ClientTlsContext(Settings(), WriteCa("other-ca.pem", clientRoot), TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, context.CreateClientOptions("mail.example.org"));

        Assert.Null(connection.ClientError);
        var verification = context.VerifyServer(RemoteCertificate(connection), [], "mail.example.org");
        Assert.Equal(VerifyResult.Fail, verification.Result);
        Assert.Equal(VerifyFailure.Untrusted, verification.Failure);
    }

    [Fact]
    public async Task Without_a_ca_bundle_the_system_store_decides_and_a_private_ca_fails()
    {
        using var context = new ClientTlsContext(Settings(), null, TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, context.CreateClientOptions("mail.example.org"));

        Assert.Null(context.Material.TrustAnchors);
        var verification = context.VerifyServer(RemoteCertificate(connection), [], "mail.example.org");
        Assert.Equal(VerifyResult.Fail, verification.Result);
        Assert.Equal(VerifyFailure.Untrusted, verification.Failure);
    }

    [Fact]
    public async Task Tls13_floor_enables_tls13_only_and_negotiates_it()
    {
        using var context = new ClientTlsContext(Settings() with { MinVersion = SslProtocols.Tls13 }, null, TimeProvider.System);
        using var server = ServerContext();
        var options = context.CreateClientOptions("mail.example.org");

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, options);

        Assert.Equal(SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Null(connection.ClientError);
        Assert.Equal(SslProtocols.Tls13, connection.Client.SslProtocol);
    }

    [Fact]
    public void Default_floor_enables_tls12_and_tls13_with_the_default_suites()
    {
        using var context = new ClientTlsContext(Settings(), null, TimeProvider.System);

        var options = context.CreateClientOptions("mail.example.org");

        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.Equal("mail.example.org", options.TargetHost);
        Assert.Equal(X509RevocationMode.NoCheck, options.CertificateRevocationCheckMode);
        Assert.True(options.AllowTlsResume);
        Assert.NotNull(options.CipherSuitesPolicy);
    }

    [Fact]
    public async Task Refuses_to_handshake_with_a_tls12_only_cipher_list_when_the_floor_is_tls13()
    {
        var settings = Settings() with
        {
            MinVersion = SslProtocols.Tls13,
            CipherSuites = [System.Net.Security.TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256],
        };
        using var context = new ClientTlsContext(settings, null, TimeProvider.System);
        using var server = ServerContext();

        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.None, context.CreateClientOptions("mail.example.org"));

        Assert.NotNull(connection.ClientError);
    }

    [Fact]
    public void A_missing_client_certificate_file_is_a_configuration_error_naming_it()
    {
        var missing = directory.Combine("nope.pem");

        var error = Assert.Throws<TlsConfigurationException>(() => new ClientTlsContext(Settings(new CertificateFiles(missing, null)), null, TimeProvider.System));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_ca_bundle_is_a_configuration_error_naming_it()
    {
        var bundle = directory.WriteFile("empty.pem", "nothing here\n");

        var error = Assert.Throws<TlsConfigurationException>(() => new ClientTlsContext(Settings(), bundle, TimeProvider.System));

        Assert.Contains(bundle, error.Message, StringComparison.Ordinal);
        Assert.Contains("relaying", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_about_a_key_file_others_can_read()
    {
        var files = Write("client", TestPki.IssueClient("relay.example.org", clientRoot));
        File.SetUnixFileMode(files.KeyFile!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        using var context = new ClientTlsContext(Settings(files), null, TimeProvider.System);

        Assert.Contains(context.Warnings, w => w.Contains(files.KeyFile!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_presents_the_new_certificate_and_a_failed_reload_keeps_the_old_one()
    {
        var files = Write("client", TestPki.IssueClient("old.example.org", clientRoot));
        using var context = new ClientTlsContext(Settings(files), null, TimeProvider.System);
        var renewed = TestPki.IssueClient("new.example.org", clientRoot);
        Write("client", renewed);

        Assert.True(context.TryReload(out var error), error);
        File.WriteAllText(files.KeyFile!, "broken\n");
        Assert.False(context.TryReload(out error));
        Assert.Contains(files.KeyFile!, error, StringComparison.Ordinal);

        using var server = ServerContext();
        await using var connection = await TlsConnection.HandshakeAsync(server, ClientCertificateMode.Require, context.CreateClientOptions("mail.example.org"));
        Assert.Null(connection.ClientError);
        var received = Assert.IsType<X509Certificate2>(connection.Server.RemoteCertificate, exactMatch: false);
        Assert.Equal(renewed.Certificate.Thumbprint, received.Thumbprint);
    }

    private static X509Certificate2 RemoteCertificate(TlsConnection connection) =>
        Assert.IsType<X509Certificate2>(connection.Client.RemoteCertificate, exactMatch: false);

    private ServerTlsContext ServerContext()
    {
        var settings = new TlsSettings
        {
            GeneratedCertificateDirectory = directory.Combine("generated"),
            ServerCertificates = [Write("server", TestPki.IssueServer("mail.example.org", serverRoot))],
        };
        var (material, _) = TlsMaterialLoader.Load(settings, "mail.example.org");
        return new ServerTlsContext(settings, "mail.example.org", material, TimeProvider.System);
    }

    private TlsSettings Settings(CertificateFiles? clientCertificate = null) => new()
    {
        GeneratedCertificateDirectory = directory.Combine("generated"),
        ClientCertificate = clientCertificate,
    };

    private string WriteCa(string name, TestCertificate ca) => directory.WriteFile(name, ca.CertificatePem);

    private CertificateFiles Write(string name, TestCertificate certificate) =>
        TlsMaterialLoaderTests.Write(directory, name, certificate);
}
