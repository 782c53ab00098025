using Postern.Config;

namespace Postern.Tests.Config;

/// <summary><c>auth.users_file = "pgsql:TABLE"</c>: the users in a table of the [database] database.</summary>
public sealed class UsersTableConfigurationTests
{
    private const string Database = """

        [database]
        connection = "Host=db.example.org;Database=postern;Username=postern;Password=sekrit"
        """;

    [Fact]
    public void A_pgsql_users_file_names_the_users_table_and_no_file()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "\n[auth]\nusers_file = \"pgsql:staff\"\n" + Database);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var auth = result.Configuration.Server.Auth;
        Assert.Equal("staff", auth.UsersTable);
        Assert.Null(auth.UsersFile);
        var use = Assert.Single(result.Configuration.DatabaseMaps);
        Assert.Equal(("auth.users_file", "staff"), (use.Key, use.Table));
    }

    [Fact]
    public void A_pgsql_users_file_without_a_database_section_is_an_error_at_the_key()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "\n[auth]\nusers_file = \"pgsql:users\"\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("auth.users_file", error.Key);
        Assert.Contains("no [database] section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_table_name_is_an_error_at_the_key()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "\n[auth]\nusers_file = \"pgsql:Users; DROP\"\n" + Database);

        var error = Assert.Single(result.Errors);
        Assert.Equal("auth.users_file", error.Key);
    }

    [Fact]
    public void Config_show_writes_the_table_back_as_configured_and_it_loads_the_same()
    {
        var first = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "\n[auth]\nusers_file = \"pgsql:users\"\n" + Database);

        var text = ConfigurationWriter.Write(first.Configuration!, UsersFilePath.Of(first.Configuration!));
        var again = ConfigTestInputs.Load(text);

        Assert.Contains("users_file = \"pgsql:users\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sekrit", text, StringComparison.Ordinal);
        Assert.True(again.Succeeded, string.Join("\n", again.Errors));
        Assert.Equal("users", again.Configuration.Server.Auth.UsersTable);
        Assert.Equal("db.example.org", new Npgsql.NpgsqlConnectionStringBuilder(again.Configuration.Database!.Connection).Host);
        Assert.Equal(text, ConfigurationWriter.Write(again.Configuration, UsersFilePath.Of(again.Configuration)));
    }

    [Fact]
    public void A_file_users_file_stays_a_file()
    {
        var result = ConfigTestInputs.Load(ConfigTestInputs.OneListener + "\n[auth]\nusers_file = \"/etc/postern/users\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("/etc/postern/users", result.Configuration.Server.Auth.UsersFile);
        Assert.Null(result.Configuration.Server.Auth.UsersTable);
        Assert.Empty(result.Configuration.DatabaseMaps);
    }
}
