using Postern.Config;
using Postern.Core.Auth;
using Postern.Database;
using Postern.Policy.Access;
using Postern.Tests.Config;
using Postern.Tests.Delivery;
using Postern.Tools.Access;
using Postern.Tools.Database;
using Postern.Tools.Users;

namespace Postern.Tests.Database;

/// <summary>The writers and the schema commands against a real database: `postern user`, `postern access`, `postern db`.</summary>
public sealed class DatabaseToolsTests(PostgresFixture database) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _directory.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    private PosternConfiguration Configuration(string text)
    {
        var result = ConfigurationLoader.LoadFromText(
            "[server]\ndata_dir = \"" + _directory.Path + "\"\n" + text
            + "\n[database]\nconnection = \"" + database.Server.ConnectionString + "\"\n"
            + "\n[[listener]]\nname = \"mta\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\n", "postern.toml", ConfigTestInputs.Create());
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Configuration;
    }

    [Fact]
    public void Db_init_creates_the_users_table_a_pgsql_users_file_names_and_status_counts_it()
    {
        database.Execute("DROP TABLE IF EXISTS staff");
        var configuration = Configuration("[auth]\nusers_file = \"pgsql:staff\"\n");

        Assert.Equal("staff", DatabaseCommands.TablesOf(configuration).Users);
        Assert.Empty(DatabaseCommands.TablesOf(configuration).Maps);
        Assert.Equal(ExitCodes.Ok, DatabaseCommands.Init(configuration, _output, _error));
        Assert.Contains("created table staff (users)", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, DatabaseCommands.Migrate(configuration, _output, _error));
        Assert.Equal(ExitCodes.Ok, DatabaseCommands.Status(configuration, _output, _error));
        Assert.Contains("staff (users): 0 row(s)", _output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void Db_commands_without_a_reachable_database_say_so_in_one_line()
    {
        var result = ConfigurationLoader.LoadFromText(
            "[server]\ndata_dir = \"" + _directory.Path + "\"\n[database]\nconnection = \"Host=127.0.0.1;Port=1;Username=postern;Password=sekrit\"\ntimeout = \"1s\"\n"
            + "[[listener]]\nname = \"mta\"\naddress = \"127.0.0.1:2525\"\nrole = \"mta\"\n", "postern.toml", ConfigTestInputs.Create());

        Assert.Equal(ExitCodes.TempFail, DatabaseCommands.Status(result.Configuration!, _output, _error));

        var line = Assert.Single(_error.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith("postern: db: the schema: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("sekrit", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postern_user_writes_the_users_table_when_users_file_is_pgsql_and_the_daemon_side_finds_the_user()
    {
        var table = new UserTable(database.Admin, "users");
        var context = new UserCommandContext(_directory.Combine("unused"), _ => "correct horse", _output, _error) { Iterations = 1000, Table = table };

        Assert.Equal(ExitCodes.Ok, UserActions.Add(context, "Grace", passwordEquivalent: false));
        Assert.Equal(ExitCodes.DataError, UserActions.Add(context, "grace", passwordEquivalent: false));
        Assert.Equal(ExitCodes.Ok, UserActions.List(context));
        await using var maps = PostgresFixture.Maps(database.Options());
        var grace = await maps.Users("users").FindAsync("grace", CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, UserActions.Delete(context, "GRACE"));
        Assert.Equal(ExitCodes.NoUser, UserActions.Delete(context, "grace"));

        Assert.NotNull(grace);
        Assert.True(PasswordHash.Verify("correct horse", grace.PasswordHash!));
        Assert.Contains("grace\tpassword scram-sha-1 scram-sha-256", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("no user grace in pgsql:users", _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.Combine("unused")));
    }

    [Fact]
    public void Postern_user_against_an_unreachable_table_changes_nothing_and_says_why()
    {
        using var nowhere = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=postern;Timeout=1");
        var context = new UserCommandContext(_directory.Combine("unused"), _ => "correct horse", _output, _error) { Iterations = 1000, Table = new UserTable(nowhere, "users") };

        Assert.Equal(ExitCodes.TempFail, UserActions.Add(context, "heidi", passwordEquivalent: false));

        Assert.Contains("pgsql:users: cannot connect", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_add_and_remove_write_the_table_in_the_readers_spelling_after_the_parser_checked_the_value()
    {
        var writer = new MapTableWriter(database.Admin, "access");
        var editor = AccessMapEditor.ForTable(writer);

        Assert.Equal(ExitCodes.Ok, editor.Add("connect:192.0.2.99", "REJECT", _output, _error));
        Assert.Equal(ExitCodes.Ok, editor.Add("CERTSUBJECT:/C=US/CN=Joe+20User", "RELAY", _output, _error));
        Assert.Equal(ExitCodes.DataError, editor.Add("Connect:192.0.2.98", "PERHAPS", _output, _error));
        Assert.Equal(ExitCodes.DataError, editor.Add("Connect:not..an.address", "OK", _output, _error));

        Assert.Equal("REJECT", writer.Get("Connect:192.0.2.99"));
        Assert.Equal("RELAY", writer.Get("CERTSUBJECT:/C=US/CN=Joe User"));
        Assert.Null(writer.Get("Connect:192.0.2.98"));
        // What the policy reads: the rows a client decision fetches, as the session asks for them.
        await using var maps = PostgresFixture.Maps(database.Options());
        var view = await AccessMapSource.Table(maps.Table("access")).ViewAsync(
            AccessNeeds.Client, new AccessQuery(System.Net.IPAddress.Parse("192.0.2.99")), CancellationToken.None);
        Assert.Equal(AccessAction.Reject, view.LookupConnect(System.Net.IPAddress.Parse("192.0.2.99"), null)?.Action);
        Assert.Equal(ExitCodes.Ok, editor.Remove("CONNECT:192.0.2.99", _output, _error));
        Assert.Equal(ExitCodes.NoInput, editor.Remove("Connect:192.0.2.99", _output, _error));
        Assert.Null(writer.Get("Connect:192.0.2.99"));
    }

    [Fact]
    public void Access_add_and_remove_edit_a_file_keeping_comments_and_replacing_the_key()
    {
        var path = _directory.Combine("access");
        File.WriteAllText(path, "# site map\nConnect:192.0.2.1\tOK\nconnect:192.0.2.1\tREJECT\nFrom:example.org\tOK\n");
        var editor = AccessMapEditor.ForFile(path);

        Assert.Equal(ExitCodes.Ok, editor.Add("Connect:192.0.2.1", "DISCARD", _output, _error));
        Assert.Equal(ExitCodes.Ok, editor.Add("To:example.net", "RELAY", _output, _error));
        Assert.Equal(ExitCodes.Ok, editor.Remove("from:EXAMPLE.org", _output, _error));

        Assert.Equal("# site map\nConnect:192.0.2.1\tDISCARD\nTo:example.net\tRELAY\n", File.ReadAllText(path));
        Assert.Equal(AccessAction.Discard, AccessMapParser.Load(path).LookupConnect(System.Net.IPAddress.Parse("192.0.2.1"), null)?.Action);
    }

    [Fact]
    public void The_access_map_target_follows_the_configuration()
    {
        var path = _directory.Combine("access.map");
        File.WriteAllText(path, "");
        var configuration = Configuration($"[policy]\naccess_map = \"{path}\"\n");

        Assert.Equal(ExitCodes.Ok, AccessMapTarget.Run(configuration, _error, editor => editor.Add("10.1", "RELAY", _output, _error)));

        Assert.Equal("10.1\tRELAY\n", File.ReadAllText(path));
        Assert.Equal(ExitCodes.Config, AccessMapTarget.Run(Configuration(""), _error, _ => ExitCodes.Ok));
    }
}
