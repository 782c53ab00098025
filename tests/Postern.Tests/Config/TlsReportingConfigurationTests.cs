using Postern.Config;

namespace Postern.Tests.Config;

public sealed class TlsReportingConfigurationTests
{
    [Fact]
    public void Reporting_is_on_by_default_in_the_hosts_name_with_a_daily_period()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var options = result.Configuration.TlsReporting;
        Assert.True(options.Enabled);
        Assert.Equal("mx.test.example", options.Organization);
        Assert.Equal("postmaster@mx.test.example", options.Contact);
        Assert.Equal("postmaster@mx.test.example", options.From);
        Assert.Equal("mx.test.example", options.Submitter);
        Assert.Equal(TimeSpan.FromHours(24), options.Interval);
        Assert.Equal(Path.Combine(result.Configuration.DataDirectory, "tls-reports"), options.Directory);
        Assert.Null(options.HttpsCaFile);
    }

    [Fact]
    public void Every_key_is_read_and_the_https_ca_file_comes_from_delivery()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + """
            [delivery]
            https_ca_file = "/etc/postern/https-ca.pem"
            [tls_reporting]
            enabled = false
            organization = "Example Org"
            contact = "tls-admin@example.com"
            from = "noreply-tlsrpt@example.com"
            interval = "6h"
            """, ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var options = result.Configuration.TlsReporting;
        Assert.False(options.Enabled);
        Assert.Equal(("Example Org", "tls-admin@example.com", "noreply-tlsrpt@example.com"), (options.Organization, options.Contact, options.From));
        Assert.Equal("example.com", options.Submitter);
        Assert.Equal(TimeSpan.FromHours(6), options.Interval);
        Assert.Equal("/etc/postern/https-ca.pem", options.HttpsCaFile);
        Assert.Equal("/etc/postern/https-ca.pem", result.Configuration.Relay.HttpsCaFile);

        var shown = ConfigurationWriter.Write(result.Configuration, "/data/users");
        Assert.Contains("[tls_reporting]\nenabled = false\norganization = \"Example Org\"\ncontact = \"tls-admin@example.com\"\nfrom = \"noreply-tlsrpt@example.com\"\ninterval = \"6h\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("https_ca_file = \"/etc/postern/https-ca.pem\"\n", shown, StringComparison.Ordinal);
        var again = ConfigTestInputs.Load(shown, ConfigTestInputs.AllPathsExist());
        Assert.True(again.Succeeded, string.Join("\n", again.Errors));
        Assert.Equal(options, again.Configuration.TlsReporting);
    }

    [Theory]
    [InlineData("interval = \"5s\"", "tls_reporting.interval")]
    [InlineData("interval = \"32d\"", "tls_reporting.interval")]
    [InlineData("from = \"postmaster\"", "tls_reporting.from")]
    [InlineData("from = \"a@[192.0.2.1]\"", "tls_reporting.from")]
    [InlineData("organization = \"  \"", "tls_reporting.organization")]
    [InlineData("contact = \"a\\nb\"", "tls_reporting.contact")]
    [InlineData("enabled = \"yes\"", "tls_reporting.enabled")]
    [InlineData("rua = \"x\"", "tls_reporting.rua")]
    public void Bad_values_are_errors_at_their_line(string line, string key)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[tls_reporting]\n" + line + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, 7), (error.Key, error.Line));
    }

    [Fact]
    public void A_missing_https_ca_file_is_an_error()
    {
        var inputs = ConfigTestInputs.Create("/srv/data") with { FileExists = _ => false };
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[delivery]\nhttps_ca_file = \"/nowhere/ca.pem\"\n", inputs);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("delivery.https_ca_file", 7, "no such file: /nowhere/ca.pem"), (error.Key, error.Line, error.Message));
    }
}
