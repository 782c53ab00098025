using Postern.Cli;
using Postern.Config;
using Postern.Tests.Config.Lint;

namespace Postern.Tests.Config;

/// <summary>`postern config show`: every section with defaults, and output that loads back to the same configuration.</summary>
public sealed class ConfigurationWriterTests
{
    private const string Rich = """
        [server]
        hostname = "mail.example.org"
        data_dir = "/var/lib/postern"

        [[listener]]
        name = "mx"
        address = "[::]:25"
        role = "mta"
        tls = "starttls"
        client_cert = "ask"

        [[listener]]
        name = "smtps"
        address = "0.0.0.0:465"
        role = "msa"
        tls = "implicit"
        auth = "require"

        [auth]
        mechanisms = ["SCRAM-SHA-256", "PLAIN"]
        trusted_mechanisms = ["SCRAM-SHA-256"]
        failure_delay = "2s"

        [tls]
        server_cert = "/etc/postern/cert.pem"
        server_key = "/etc/postern/key.pem"
        ca_file = "/etc/postern/ca.pem"
        min_version = "1.3"
        ciphers = ["TLS_AES_256_GCM_SHA384"]
        client_cert = "/etc/postern/client.pem"

        [[tls.certificate]]
        cert = "/etc/postern/other.pem"

        [limits]
        max_message_size = "10M"

        [local]
        domains = ["example.org"]
        users = ["alice", "bob"]
        aliases = "/etc/postern/aliases"

        [delivery]
        smarthost = "[smtp.provider.example]:587"
        sender_auth_file = "/etc/postern/sender-authinfo"
        dns_servers = ["192.0.2.53", "[2001:db8::53]:5353"]

        [[route]]
        domain = ".inside.example"
        via = "[10.0.0.5]"
        tls = "verify"

        [[route]]
        domain = "partner.example"
        via = "mx"
        tls = "dane-only"
        client_cert = "/etc/postern/partner.pem"
        client_key = "/etc/postern/partner.key"
        auth_user = "postern"
        auth_password_file = "/etc/postern/partner.secret"

        [policy]
        relay_networks = ["192.168.0.0/16", "2001:db8:1::/48"]
        relay_domains = ["partner.example"]
        access_map = "/etc/postern/access"

        [log]
        level = "debug"
        file = "/var/log/postern.log"

        [metrics]
        listen = "127.0.0.1:9025"
        """;

    [Fact]
    public void The_default_is_written_with_every_section_and_loads_back_the_same()
    {
        var first = Load(ConfigurationLoader.ReadEmbeddedDefault());
        var text = ConfigurationWriter.Write(first, "/data/users");

        foreach (var section in new[] { "[server]", "[[listener]]", "[auth]", "[tls]", "[limits]", "[local]", "[queue]", "[log]", "[delivery]", "[policy]" })
        {
            Assert.Contains("\n" + section + "\n", text, StringComparison.Ordinal);
        }
        Assert.Contains("recipient_restrictions = [\"check_recipient_access\"", text, StringComparison.Ordinal);
        Assert.Contains("max_message_size = \"25M\"", text, StringComparison.Ordinal);
        Assert.Equal(text, ConfigurationWriter.Write(Load(text), "/data/users"));
    }

    [Fact]
    public void A_rich_configuration_round_trips()
    {
        var configuration = Load(Rich);
        var text = ConfigurationWriter.Write(configuration, "/var/lib/postern/users");
        var again = Load(text);

        Assert.Equal(text, ConfigurationWriter.Write(again, "/var/lib/postern/users"));
        Assert.Equal(configuration.Server.Listeners, again.Server.Listeners);
        Assert.Equal(configuration.Relay.SmartHost, again.Relay.SmartHost);
        Assert.Equal(configuration.Relay.Routes, again.Relay.Routes);
        Assert.Equal(configuration.RelayPolicy.RelayNetworks, again.RelayPolicy.RelayNetworks);
        Assert.Equal(configuration.Tls.ServerCertificates, again.Tls.ServerCertificates);
        Assert.Contains("address = \"[::]:25\"", text, StringComparison.Ordinal);
        Assert.Contains("client_cert = \"/etc/postern/partner.pem\"\nclient_key = \"/etc/postern/partner.key\"\nauth_user = \"postern\"\nauth_password_file = \"/etc/postern/partner.secret\"", text, StringComparison.Ordinal);
        Assert.Contains("sender_auth_file = \"/etc/postern/sender-authinfo\"", text, StringComparison.Ordinal);
        Assert.Contains("dns_servers = [\"192.0.2.53:53\", \"[2001:db8::53]:5353\"]", text, StringComparison.Ordinal);
        Assert.Contains("[delivery]\nsmarthost = \"[smtp.provider.example]:587\"\ntls = \"dane\"\n", text, StringComparison.Ordinal);
        Assert.Contains("dnssec_probe_signed = \".\"\ndnssec_probe_broken = \"dnssec-failed.org\"", text, StringComparison.Ordinal);
        Assert.Contains("via = \"mx\"\ntls = \"dane-only\"", text, StringComparison.Ordinal);
        Assert.Equal(configuration.Metrics.Listen, again.Metrics.Listen);
        Assert.Contains("[metrics]\nlisten = \"127.0.0.1:9025\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_output_passes_config_check()
    {
        using var run = new ConfigCheckRun();
        var shown = new StringWriter();
        Assert.Equal(0, ConfigCheckCommand.Show(null, run.Path, shown, TextWriter.Null));
        var file = run.WriteFile("shown.toml", shown.ToString());

        var (exit, _, errors) = ConfigCheckRun.CheckFile(file);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("warning:", errors, StringComparison.Ordinal);
        Assert.Contains($"data_dir = \"{run.Path}\"", shown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_escaped()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\"", TomlText.String("a\"b\\c\n"));
    }

    private static PosternConfiguration Load(string text)
    {
        var result = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }
}
