using Postern.Config;
using Postern.Filters.Dkim;
using Postern.Tests.Config.Lint;
using Postern.Tests.Filters.Dkim;

namespace Postern.Tests.Config;

/// <summary>[[dkim]]: binding with defaults, every error at its line, config show round trip, and the keys read by config check.</summary>
public sealed class DkimConfigurationTests
{
    private const string Two = """
        [[dkim]]
        domain = "Example.COM"
        selector = "s2026"
        key = "dkim/example.com.s2026.key"

        [[dkim]]
        domain = "example.com"
        selector = "e2026"
        key = "/etc/postern/dkim/example.com.e2026.key"
        algorithm = "ed25519"
        headers = ["From", "Subject", "Date"]
        oversign_headers = []
        canonicalization = "simple/relaxed"
        subdomains = true
        """;

    [Fact]
    public void Entries_bind_with_their_defaults_and_relative_keys_under_the_data_directory()
    {
        var configuration = Load(ConfigTestInputs.OneListener + "[server]\ndata_dir = \"/var/lib/postern\"\n\n" + Two);

        Assert.Equal(2, configuration.Dkim.Count);
        var first = configuration.Dkim[0];
        Assert.Equal(("example.com", "s2026", "/var/lib/postern/dkim/example.com.s2026.key"), (first.Domain, first.Selector, first.KeyFile));
        Assert.Null(first.Algorithm);
        Assert.Equal(DkimEntry.DefaultHeaders, first.Headers);
        Assert.Equal(DkimEntry.DefaultOversignHeaders, first.OversignHeaders);
        Assert.Equal("relaxed/relaxed", first.CanonicalizationTag);
        Assert.False(first.Subdomains);
        var second = configuration.Dkim[1];
        Assert.Equal(DkimAlgorithm.Ed25519, second.Algorithm);
        Assert.Equal(["From", "Subject", "Date"], second.Headers);
        Assert.Empty(second.OversignHeaders);
        Assert.Equal((DkimCanonicalization.Simple, DkimCanonicalization.Relaxed), (second.HeaderCanonicalization, second.BodyCanonicalization));
        Assert.True(second.Subdomains);
    }

    [Fact]
    public void Config_show_writes_the_entries_and_its_output_loads_back_to_the_same()
    {
        var configuration = Load(ConfigTestInputs.OneListener + Two);
        var text = ConfigurationWriter.Write(configuration, "/data/users");
        var again = Load(text);

        Assert.Equal(text, ConfigurationWriter.Write(again, "/data/users"));
        Assert.Contains("[[dkim]]\ndomain = \"example.com\"\nselector = \"e2026\"\nkey = \"/etc/postern/dkim/example.com.e2026.key\"\nalgorithm = \"ed25519\"\nheaders = [\"From\", \"Subject\", \"Date\"]\noversign_headers = []\ncanonicalization = \"simple/relaxed\"\nsubdomains = true\n", text, StringComparison.Ordinal);
        Assert.Equal(configuration.Dkim.Select(e => (e.Domain, e.Selector, e.KeyFile, e.Algorithm, e.CanonicalizationTag, e.Subdomains)), again.Dkim.Select(e => (e.Domain, e.Selector, e.KeyFile, e.Algorithm, e.CanonicalizationTag, e.Subdomains)));
        Assert.Equal(configuration.Dkim.Select(e => string.Join(":", e.Headers)), again.Dkim.Select(e => string.Join(":", e.Headers)));
    }

    [Theory]
    [InlineData("selector = \"s\"\nkey = \"/k\"", "dkim[1].domain", 7, "is required")]
    [InlineData("domain = \"example.com\"\nkey = \"/k\"", "dkim[1].selector", 7, "is required")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"", "dkim[1].key", 7, "is required (the private key file")]
    [InlineData("domain = \"exa mple.com\"\nselector = \"s\"\nkey = \"/k\"", "dkim[1].domain", 7, "must be a domain name")]
    [InlineData("domain = \"example.com\"\nselector = \"s;x=1\"\nkey = \"/k\"", "dkim[1].selector", 8, "must be a selector")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\nalgorithm = \"dsa\"", "dkim[1].algorithm", 10, "must be one of \"rsa\", \"ed25519\"")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\nheaders = [\"Subject\"]", "dkim[1].headers", 10, "must list From")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\nheaders = [\"From\", \"from\"]", "dkim[1].headers", 10, "lists \"from\" twice")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\nheaders = [\"From\", \"X Bad\"]", "dkim[1].headers", 10, "item 2 must be a header field name")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\ncanonicalization = \"relaxed\"", "dkim[1].canonicalization", 10, "must be one of \"relaxed/relaxed\"")]
    [InlineData("domain = \"example.com\"\nselector = \"s\"\nkey = \"/k\"\nsign = true", "dkim[1].sign", 10, "unknown key")]
    public void A_wrong_entry_is_an_error_at_its_line(string body, string key, int line, string message)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[[dkim]]\n" + body + "\n", ConfigTestInputs.AllPathsExist());

        var error = Assert.Single(result.Errors);
        Assert.Equal((key, line), (error.Key, error.Line));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_selector_of_a_domain_twice_is_an_error_at_the_second()
    {
        var result = ConfigTestInputs.Load(
            ConfigTestInputs.OneListener + "[[dkim]]\ndomain = \"example.com\"\nselector = \"s\"\nkey = \"/a\"\n\n[[dkim]]\ndomain = \"EXAMPLE.com\"\nselector = \"s\"\nkey = \"/b\"\n",
            ConfigTestInputs.AllPathsExist());

        var error = Assert.Single(result.Errors);
        Assert.Equal(("dkim[2].selector", 13), (error.Key, error.Line));
        Assert.Contains("configured twice (first on line 8)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_an_error_at_its_line()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "[[dkim]]\ndomain = \"example.com\"\nselector = \"s\"\nkey = \"/nonexistent/dkim.key\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("dkim[1].key", 9), (error.Key, error.Line));
        Assert.Contains("/nonexistent/dkim.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listener_may_not_take_the_name_of_local_submissions()
    {
        var result = ConfigTestInputs.Load("[[listener]]\nname = \"local\"\naddress = \"127.0.0.1:25\"\nrole = \"mta\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("listener[1].name", 2), (error.Key, error.Line));
        Assert.Contains("reserved for mail submitted on this machine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_check_reads_the_keys_lists_the_signatures_and_warns_about_a_key_others_can_read()
    {
        using var run = new ConfigCheckRun();
        var rsa = run.WriteFile("rsa.key", DkimTestKeys.PemFor(DkimAlgorithm.Rsa));
        var ed25519 = run.WriteFile("ed.key", DkimTestKeys.PemFor(DkimAlgorithm.Ed25519));
        File.SetUnixFileMode(rsa, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(ed25519, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (exit, output, errors) = run.Check(
            $"[[dkim]]\ndomain = \"example.com\"\nselector = \"s2026\"\nkey = \"{rsa}\"\n\n[[dkim]]\ndomain = \"example.com\"\nselector = \"e2026\"\nkey = \"{ed25519}\"\nalgorithm = \"ed25519\"\nsubdomains = true\n");

        Assert.Equal(0, exit);
        Assert.Contains($"  dkim: example.com, s2026._domainkey.example.com (rsa-sha256, 2048 bits, relaxed/relaxed), key {rsa}\n", output, StringComparison.Ordinal);
        Assert.Contains($"  dkim: example.com and subdomains, e2026._domainkey.example.com (ed25519-sha256, 256 bits, relaxed/relaxed), key {ed25519}\n", output, StringComparison.Ordinal);
        Assert.Equal($"warning: dkim: the DKIM key {ed25519} has mode 0644: group or others can read it and sign as the domain; chmod 600 it\n", errors);
    }

    [Theory]
    [InlineData("not a key\n", "not a PEM file")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "the key is encrypted")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "holds a CERTIFICATE, not a private key")]
    [InlineData("ED25519", "algorithm = \"rsa\" but the file holds an ed25519 key")]
    public void Config_check_refuses_a_key_it_cannot_sign_with_at_the_line_that_names_it(string content, string message)
    {
        using var run = new ConfigCheckRun();
        var key = run.WriteFile("bad.key", content == "ED25519" ? DkimTestKeys.PemFor(DkimAlgorithm.Ed25519) : content);

        var (exit, _, errors) = run.Check($"[[dkim]]\ndomain = \"example.com\"\nselector = \"s\"\nkey = \"{key}\"\nalgorithm = \"rsa\"\n");

        Assert.Equal(78, exit);
        Assert.StartsWith($"{run.Combine("postern.toml")}:8:1: dkim[1].key: {key}: {message}", errors, StringComparison.Ordinal);
    }

    private static PosternConfiguration Load(string text)
    {
        var result = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }
}
