using System.Net.Security;
using System.Security.Authentication;
using Postern.Config;
using Postern.Core.Tls;

namespace Postern.Tests.Config;

public sealed class TlsConfigurationTests
{
    [Fact]
    public void Embedded_default_has_starttls_on_mta_and_msa_and_an_implicit_smtps_listener()
    {
        var result = ConfigurationLoader.LoadFromText(ConfigurationLoader.ReadEmbeddedDefault(), ConfigurationLoader.EmbeddedDefaultSource, ConfigTestInputs.Create());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
            [
                ("mta", 2525, ListenerTlsMode.StartTls, false, ClientCertificateMode.Ask),
                ("msa", 2587, ListenerTlsMode.StartTls, false, ClientCertificateMode.None),
                ("smtps", 2465, ListenerTlsMode.Implicit, true, ClientCertificateMode.None),
            ],
            result.Configuration.Server.Listeners.Select(l => (l.Name, l.EndPoint.Port, l.Tls, l.RequireTls, l.ClientCertificates)));
        var tls = result.Configuration.Tls;
        Assert.Empty(tls.ServerCertificates);
        Assert.Equal("/srv/work/postern-data/tls", tls.GeneratedCertificateDirectory);
    }

    [Fact]
    public void Omitted_tls_keys_take_the_defaults()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener, ConfigTestInputs.Create("/data"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var listener = Assert.Single(result.Configuration.Server.Listeners);
        Assert.Equal((ListenerTlsMode.None, false, ClientCertificateMode.None), (listener.Tls, listener.RequireTls, listener.ClientCertificates));
        var tls = result.Configuration.Tls;
        Assert.Empty(tls.ServerCertificates);
        Assert.Equal("/data/tls", tls.GeneratedCertificateDirectory);
        Assert.Null(tls.CaFile);
        Assert.Null(tls.CaPath);
        Assert.Null(tls.CrlFile);
        Assert.Null(tls.CrlPath);
        Assert.Equal(SslProtocols.Tls12, tls.MinVersion);
        Assert.Null(tls.CipherSuites);
        Assert.Null(tls.ClientCertificate);
        Assert.Equal(TimeSpan.FromSeconds(30), tls.HandshakeTimeout);
    }

    [Theory]
    [InlineData("tls = \"none\"", ListenerTlsMode.None, false, ClientCertificateMode.None)]
    [InlineData("tls = \"starttls\"", ListenerTlsMode.StartTls, false, ClientCertificateMode.None)]
    [InlineData("tls = \"starttls\"\nrequire_tls = true\nclient_cert = \"require\"", ListenerTlsMode.StartTls, true, ClientCertificateMode.Require)]
    [InlineData("tls = \"starttls\"\nrequire_tls = false\nclient_cert = \"ask\"", ListenerTlsMode.StartTls, false, ClientCertificateMode.Ask)]
    [InlineData("tls = \"implicit\"", ListenerTlsMode.Implicit, true, ClientCertificateMode.None)]
    [InlineData("tls = \"implicit\"\nclient_cert = \"ask\"", ListenerTlsMode.Implicit, true, ClientCertificateMode.Ask)]
    [InlineData("tls = \"none\"\nrequire_tls = false\nclient_cert = \"none\"", ListenerTlsMode.None, false, ClientCertificateMode.None)]
    public void Listener_tls_keys_map(string lines, ListenerTlsMode mode, bool requireTls, ClientCertificateMode clientCertificates)
    {
        var result = ConfigTestInputs.Load(
            "[tls]\nca_file = \"/etc/postern/ca.pem\"\n[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\n" + lines + "\n",
            ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var listener = Assert.Single(result.Configuration.Server.Listeners);
        Assert.Equal((mode, requireTls, clientCertificates), (listener.Tls, listener.RequireTls, listener.ClientCertificates));
    }

    [Fact]
    public void Every_tls_key_maps_with_relative_paths_taken_from_the_data_directory()
    {
        var dataDir = Directory.CreateTempSubdirectory("postern-tls-config-");
        try
        {
            foreach (var file in new[] { "server.pem", "server.key", "ecdsa.pem", "ecdsa.key", "rsa2.pem", "ca.pem", "ca.crl", "client.pem", "client.key" })
            {
                File.WriteAllText(Path.Combine(dataDir.FullName, file), "not checked at load");
            }
            Directory.CreateDirectory(Path.Combine(dataDir.FullName, "certs"));
            Directory.CreateDirectory(Path.Combine(dataDir.FullName, "crls"));
            var text = ConfigTestInputs.OneListener + """
                [tls]
                server_cert = "server.pem"
                server_key = "server.key"
                ca_file = "ca.pem"
                ca_path = "certs"
                crl_file = "ca.crl"
                crl_path = "crls"
                min_version = "1.3"
                ciphers = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"]
                client_cert = "client.pem"
                client_key = "client.key"
                handshake_timeout = "1m"

                [[tls.certificate]]
                cert = "ecdsa.pem"
                key = "ecdsa.key"

                [[tls.certificate]]
                cert = "rsa2.pem"
                """;

            var result = ConfigTestInputs.Load(text, ConfigTestInputs.Create(dataDir.FullName));

            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            var tls = result.Configuration.Tls;
            string P(string name) => Path.Combine(dataDir.FullName, name);
            Assert.Equal(
                [
                    new CertificateFiles(P("server.pem"), P("server.key")),
                    new CertificateFiles(P("ecdsa.pem"), P("ecdsa.key")),
                    new CertificateFiles(P("rsa2.pem"), null),
                ],
                tls.ServerCertificates);
            Assert.Equal(P("ca.pem"), tls.CaFile);
            Assert.Equal(P("certs"), tls.CaPath);
            Assert.Equal(P("ca.crl"), tls.CrlFile);
            Assert.Equal(P("crls"), tls.CrlPath);
            Assert.Equal(SslProtocols.Tls13, tls.MinVersion);
            Assert.Equal(
                [
                    TlsCipherSuite.TLS_AES_256_GCM_SHA384,
                    TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                    TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                    TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                ],
                tls.CipherSuites);
            Assert.Equal(new CertificateFiles(P("client.pem"), P("client.key")), tls.ClientCertificate);
            Assert.Equal(TimeSpan.FromMinutes(1), tls.HandshakeTimeout);
            Assert.Equal(P("tls"), tls.GeneratedCertificateDirectory);
        }
        finally
        {
            dataDir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Certificate_entries_without_server_cert_start_the_list_and_keys_stay_optional()
    {
        var text = ConfigTestInputs.OneListener + """
            [tls]
            client_cert = "/etc/postern/client.pem"
            handshake_timeout = 10

            [[tls.certificate]]
            cert = "/etc/postern/a.pem"

            [[tls.certificate]]
            cert = "b.pem"
            key = "b.key"
            """;

        var result = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist("/data"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var tls = result.Configuration.Tls;
        Assert.Equal([new CertificateFiles("/etc/postern/a.pem", null), new CertificateFiles("/data/b.pem", "/data/b.key")], tls.ServerCertificates);
        Assert.Equal(new CertificateFiles("/etc/postern/client.pem", null), tls.ClientCertificate);
        Assert.Equal(TimeSpan.FromSeconds(10), tls.HandshakeTimeout);
        Assert.Equal(SslProtocols.Tls12, tls.MinVersion);
    }

    [Fact]
    public void Existence_is_checked_at_the_resolved_absolute_path()
    {
        var asked = new List<string>();
        var inputs = ConfigTestInputs.Create("/data") with
        {
            FileExists = path => { asked.Add("file " + path); return true; },
            DirectoryExists = path => { asked.Add("dir " + path); return true; },
        };

        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[tls]\nserver_cert = \"x/../server.pem\"\nca_path = \"/etc/ssl/certs\"\n", inputs);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["file /data/server.pem", "dir /etc/ssl/certs"], asked);
    }
}
