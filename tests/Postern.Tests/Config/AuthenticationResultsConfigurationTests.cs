using System.Net;
using Postern.Config;
using Postern.Filters.Authentication;

namespace Postern.Tests.Config;

public sealed class AuthenticationResultsConfigurationTests
{
    private const string Section = "[authentication_results]\n";

    [Fact]
    public void Off_by_default_with_the_host_name_as_authserv_id()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var options = result.Configuration.AuthenticationResults;
        Assert.Equal(AuthenticationResultsMode.Off, options.Mode);
        Assert.Equal(ConfigTestInputs.HostName, options.AuthservId);
        Assert.Equal("/usr/share/publicsuffix/public_suffix_list.dat", options.PublicSuffixList);
        Assert.Equal(TimeSpan.FromSeconds(20), options.DnsTimeout);
        Assert.Empty(options.IgnoreNetworks);
    }

    [Fact]
    public void The_ignored_networks_default_to_the_relay_networks()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[policy]\nrelay_networks = [\"192.0.2.0/24\"]\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal([IPNetwork.Parse("192.0.2.0/24")], result.Configuration.AuthenticationResults.IgnoreNetworks);
    }

    [Fact]
    public void Every_key_binds()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + Section
            + "mode = \"enforce\"\nauthserv_id = \"mx.example.org\"\npublic_suffix_list = \"/etc/postern/psl.dat\"\ndns_timeout = \"30s\"\n"
            + "ignore_networks = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n",
            ConfigTestInputs.AllPathsExist());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var options = result.Configuration.AuthenticationResults;
        Assert.Equal(AuthenticationResultsMode.Enforce, options.Mode);
        Assert.Equal("mx.example.org", options.AuthservId);
        Assert.Equal("/etc/postern/psl.dat", options.PublicSuffixList);
        Assert.Equal(TimeSpan.FromSeconds(30), options.DnsTimeout);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")], options.IgnoreNetworks);
    }

    [Fact]
    public void A_missing_public_suffix_list_is_an_error_at_the_mode_unless_off()
    {
        var on = ConfigTestInputs.Load(ConfigTestInputs.OneListener + Section + "mode = \"on\"\n", ConfigTestInputs.Create() with { FileExists = _ => false });
        var off = ConfigTestInputs.Load(ConfigTestInputs.OneListener + Section + "mode = \"off\"\n", ConfigTestInputs.Create() with { FileExists = _ => false });

        var error = Assert.Single(on.Errors);
        Assert.Equal(("authentication_results.mode", 7), (error.Key, error.Line));
        Assert.Contains("/usr/share/publicsuffix/public_suffix_list.dat", error.Message, StringComparison.Ordinal);
        Assert.Contains("publicsuffix package", error.Message, StringComparison.Ordinal);
        Assert.True(off.Succeeded, string.Join("\n", off.Errors));
    }

    [Fact]
    public void A_configured_list_that_is_missing_is_an_error_on_its_line()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + Section + "mode = \"on\"\npublic_suffix_list = \"/nowhere/psl.dat\"\n",
            ConfigTestInputs.Create() with { FileExists = _ => false });

        var error = Assert.Single(result.Errors);
        Assert.Equal(("authentication_results.public_suffix_list", 8), (error.Key, error.Line));
    }

    [Theory]
    [InlineData("mode = \"strict\"", "authentication_results.mode")]
    [InlineData("authserv_id = \"not a host\"", "authentication_results.authserv_id")]
    [InlineData("dns_timeout = \"0s\"", "authentication_results.dns_timeout")]
    [InlineData("spf = true", "authentication_results.spf")]
    public void A_bad_value_is_an_error_on_its_line(string line, string key)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + Section + line + "\n", ConfigTestInputs.AllPathsExist());

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, 7), (error.Key, error.Line));
    }

    [Fact]
    public void Config_show_writes_the_section_and_it_loads_back_the_same()
    {
        var first = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + Section + "mode = \"on\"\nauthserv_id = \"mx.example.org\"\ndns_timeout = \"45s\"\nignore_networks = [\"10.0.0.0/8\"]\n",
            ConfigTestInputs.AllPathsExist());
        Assert.True(first.Succeeded, string.Join("\n", first.Errors));

        var shown = ConfigurationWriter.Write(first.Configuration, "/etc/postern/users");
        var second = ConfigTestInputs.Load(shown, ConfigTestInputs.AllPathsExist());

        Assert.Contains("[authentication_results]\nmode = \"on\"\nauthserv_id = \"mx.example.org\"", shown, StringComparison.Ordinal);
        Assert.True(second.Succeeded, string.Join("\n", second.Errors));
        var (before, after) = (first.Configuration.AuthenticationResults, second.Configuration.AuthenticationResults);
        Assert.Equal(before with { IgnoreNetworks = [] }, after with { IgnoreNetworks = [] });
        Assert.Equal(before.IgnoreNetworks, after.IgnoreNetworks);
    }
}
