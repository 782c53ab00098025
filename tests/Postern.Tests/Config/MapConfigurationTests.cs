using Postern.Config;
using Postern.Config.Check;

namespace Postern.Tests.Config;

/// <summary>Every map key takes a file or <c>pgsql:TABLE</c>, and <c>config show</c> writes it back as configured.</summary>
public sealed class MapConfigurationTests
{
    private const string Database = "[database]\nconnection = \"Host=127.0.0.1;Database=postern;Username=postern\"\n";

    private const string AllInTables = """
        [policy]
        access_map = "pgsql:access"
        relay_domains = "pgsql:relay_domains"

        [auth]
        sender_login_map = "pgsql:sender_logins"

        [local]
        aliases = "pgsql:aliases"
        transport = "lmtp:unix:/run/dovecot/lmtp"

        [virtual]
        domains = "pgsql:virtual_domains"
        mailboxes = "pgsql:virtual_mailboxes"
        transport = "lmtp:[127.0.0.1]:24"

        """;

    [Fact]
    public void Every_map_key_binds_a_table()
    {
        var configuration = Load(ConfigTestInputs.OneListener + AllInTables + Database);

        Assert.Equal("pgsql:access", configuration.RelayPolicy.AccessMap?.ToString());
        Assert.Null(configuration.RelayPolicy.AccessMapFile);
        Assert.Equal("relay_domains", configuration.RelayPolicy.RelayDomainsTable?.TableName);
        Assert.Empty(configuration.RelayPolicy.RelayDomains);
        Assert.Equal("sender_logins", configuration.Server.Auth.SenderLoginMap?.TableName);
        Assert.Null(configuration.Server.Auth.SenderLoginMapFile);
        Assert.Equal("aliases", configuration.Local.Aliases?.TableName);
        Assert.Null(configuration.Local.AliasesFile);
        Assert.Equal(
            ["policy.access_map = pgsql:access", "policy.relay_domains = pgsql:relay_domains", "auth.sender_login_map = pgsql:sender_logins", "local.aliases = pgsql:aliases", "virtual.domains = pgsql:virtual_domains", "virtual.mailboxes = pgsql:virtual_mailboxes"],
            MapChecks.Configured(configuration).Select(m => m.Key + " = " + m.Map));
        Assert.StartsWith("  maps in the database: policy.access_map = pgsql:access, ", MapChecks.Summary(configuration), StringComparison.Ordinal);
    }

    [Fact]
    public void Files_bind_as_they_always_did()
    {
        var configuration = Load(ConfigTestInputs.OneListener + "[policy]\naccess_map = \"/etc/postern/access\"\nrelay_domains = [\"example.net\"]\n[local]\naliases = \"/etc/postern/aliases\"\n");

        Assert.Equal("/etc/postern/access", configuration.RelayPolicy.AccessMapFile);
        Assert.False(configuration.RelayPolicy.AccessMap!.IsDatabase);
        Assert.Equal(["example.net"], configuration.RelayPolicy.RelayDomains);
        Assert.Null(configuration.RelayPolicy.RelayDomainsTable);
        Assert.Equal("/etc/postern/aliases", configuration.Local.AliasesFile);
        Assert.Null(MapChecks.Summary(configuration));
    }

    [Fact]
    public void Config_show_writes_the_tables_back_as_configured()
    {
        var configuration = Load(ConfigTestInputs.OneListener + AllInTables + Database);
        var text = ConfigurationWriter.Write(configuration, "/data/users");

        Assert.Contains("relay_domains = \"pgsql:relay_domains\"\naccess_map = \"pgsql:access\"", text, StringComparison.Ordinal);
        Assert.Contains("sender_login_map = \"pgsql:sender_logins\"", text, StringComparison.Ordinal);
        Assert.Contains("aliases = \"pgsql:aliases\"", text, StringComparison.Ordinal);
        Assert.Contains("[virtual]\ndomains = \"pgsql:virtual_domains\"\nmailboxes = \"pgsql:virtual_mailboxes\"\ntransport = \"lmtp:[127.0.0.1]:24\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[policy]\naccess_map = \"pgsql:Access\"\n", "policy.access_map", "must name a table as pgsql:TABLE")]
    [InlineData("[policy]\nrelay_domains = \"example.net\"\n", "policy.relay_domains", "must be a list of domain names, or pgsql:TABLE")]
    [InlineData("[policy]\naccess_map = \"pgsql:access\"\n", "policy.access_map", "names pgsql:access, but there is no [database] section")]
    [InlineData("[local]\naliases = \"pgsql:aliases\"\n", "local.aliases", "names pgsql:aliases, but there is no [database] section")]
    [InlineData("[auth]\nsender_login_map = \"pgsql:x-y\"\n", "auth.sender_login_map", "must name a table as pgsql:TABLE")]
    public void A_bad_map_value_is_an_error_at_its_key(string text, string key, string message)
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + text, ConfigTestInputs.AllPathsExist());

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(key, error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static PosternConfiguration Load(string text)
    {
        var result = ConfigTestInputs.Load(text, ConfigTestInputs.AllPathsExist());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }
}
