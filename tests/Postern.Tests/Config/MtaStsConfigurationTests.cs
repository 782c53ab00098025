using System.Net;
using Postern.Config;
using Postern.Tests.Config.Lint;

namespace Postern.Tests.Config;

public sealed class MtaStsConfigurationTests
{
    [Fact]
    public void Mta_sts_is_on_with_a_30s_fetch_deadline_and_the_system_cas_by_default()
    {
        var plain = ConfigTestInputs.Load(ConfigTestInputs.OneListener);
        var embedded = ConfigurationLoader.LoadFromText(ConfigurationLoader.ReadEmbeddedDefault(), ConfigurationLoader.EmbeddedDefaultSource, ConfigTestInputs.Create());

        foreach (var result in new[] { plain, embedded })
        {
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            var options = result.Configuration.MtaSts;
            Assert.Equal((true, TimeSpan.FromSeconds(30), (IPEndPoint?)null), (options.Enabled, options.FetchTimeout, options.ConnectTo));
            Assert.Null(result.Configuration.Relay.HttpsCaFile);
        }
    }

    [Fact]
    public void Every_key_binds()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [delivery]
            https_ca_file = "ca/https.pem"

            [mta_sts]
            enabled = false
            fetch_timeout = "5s"
            connect_to = "127.0.0.1:8443"
            """, ConfigTestInputs.AllPathsExist("/var/lib/postern"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var options = result.Configuration.MtaSts;
        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FetchTimeout);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8443"), options.ConnectTo);
        Assert.Equal("/var/lib/postern/ca/https.pem", result.Configuration.Relay.HttpsCaFile);
    }

    [Theory]
    [InlineData("enabled = \"yes\"", "mta_sts.enabled", "must be true or false")]
    [InlineData("fetch_timeout = \"0s\"", "mta_sts.fetch_timeout", "")]
    [InlineData("fetch_timeout = \"10m\"", "mta_sts.fetch_timeout", "")]
    [InlineData("connect_to = \"localhost:8443\"", "mta_sts.connect_to", "must be IPv4:port or [IPv6]:port")]
    [InlineData("connect_to = \"*:8443\"", "mta_sts.connect_to", "must be IPv4:port or [IPv6]:port")]
    [InlineData("connect_to = \"127.0.0.1:0\"", "mta_sts.connect_to", "must be IPv4:port or [IPv6]:port")]
    [InlineData("connect_to = \"127.0.0.1\"", "mta_sts.connect_to", "must be IPv4:port or [IPv6]:port")]
    [InlineData("max_age = \"1d\"", "mta_sts.max_age", "")]
    public void Bad_values_are_errors_on_their_line(string line, string key, string message)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[mta_sts]\n" + line + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, 7), (error.Key, error.Line));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_https_ca_file_is_an_error_on_its_line()
    {
        var inputs = ConfigTestInputs.Create("/srv/data") with { FileExists = _ => false };

        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[delivery]\nhttps_ca_file = \"/nowhere/ca.pem\"\n", inputs);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("delivery.https_ca_file", 7, "no such file: /nowhere/ca.pem"), (error.Key, error.Line, error.Message));
    }

    [Fact]
    public void Config_show_writes_the_section_and_it_loads_back()
    {
        var configuration = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [delivery]
            https_ca_file = "/etc/postern/https-ca.pem"

            [mta_sts]
            fetch_timeout = "45s"
            connect_to = "[::1]:8443"
            """, ConfigTestInputs.AllPathsExist()).Configuration!;

        var text = ConfigurationWriter.Write(configuration, "/data/users");
        var again = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist()).Configuration!;

        Assert.Contains("[mta_sts]\nenabled = true\nfetch_timeout = \"45s\"\nconnect_to = \"[::1]:8443\"\n", text, StringComparison.Ordinal);
        Assert.Contains("https_ca_file = \"/etc/postern/https-ca.pem\"", text, StringComparison.Ordinal);
        Assert.Equal(configuration.MtaSts, again.MtaSts);
        Assert.Equal(configuration.Relay.HttpsCaFile, again.Relay.HttpsCaFile);
    }

    [Fact]
    public void Config_check_names_the_line_of_an_https_ca_file_without_certificates()
    {
        using var run = new ConfigCheckRun();
        var file = run.WriteFile("not-a-ca.pem", "hello\n");

        var (exit, _, errors) = run.Check($"[delivery]\nhttps_ca_file = \"{file}\"\n");

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains("postern.toml:6:", errors, StringComparison.Ordinal);
        Assert.Contains("delivery.https_ca_file", errors, StringComparison.Ordinal);
        Assert.Contains("holds no PEM certificate", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_accepts_an_https_ca_file_of_certificates()
    {
        using var run = new ConfigCheckRun();
        using var ca = Postern.Tests.Pki.TestCertificates.CreateRootCa("CN=HTTPS test CA");
        var file = run.WriteFile("ca.pem", ca.ExportCertificatePem() + "\n");

        var (exit, _, errors) = run.Check($"[delivery]\nhttps_ca_file = \"{file}\"\n");

        Assert.True(exit == 0, errors);
    }
}
