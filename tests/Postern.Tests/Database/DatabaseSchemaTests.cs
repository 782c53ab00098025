using Npgsql;
using Postern.Database;

namespace Postern.Tests.Database;

public sealed class DatabaseSchemaTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    private NpgsqlDataSource Fresh(string name)
    {
        database.Execute($"DROP DATABASE IF EXISTS {name}");
        database.Execute($"CREATE DATABASE {name}");
        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.Server.ConnectionString) { Database = name }.ConnectionString);
    }

    [Fact]
    public void Init_creates_the_schema_and_the_configured_tables_once()
    {
        using var source = Fresh("schema_init");
        var tables = new SchemaTables(["access", "sender_logins"], "users");

        var first = DatabaseSchema.Apply(source, tables, mustExist: false);
        var second = DatabaseSchema.Apply(source, tables, mustExist: false);
        var status = DatabaseSchema.Status(source, tables with { Maps = ["access", "sender_logins", "virtual_mailboxes"] });

        Assert.Equal(["schema: version 0 -> 1", "created table access", "created table sender_logins", "created table users (users)"], first);
        Assert.Empty(second);
        Assert.Equal(DatabaseSchema.CurrentVersion, status.Version);
        Assert.Equal([("access", (long?)0), ("sender_logins", 0), ("virtual_mailboxes", null), ("users", 0)], status.Tables.Select(t => (t.Name, t.Rows)));
    }

    [Fact]
    public void Migrate_refuses_a_database_never_initialised_and_status_says_so()
    {
        using var source = Fresh("schema_migrate");
        var tables = new SchemaTables(["access"], null);

        var e = Assert.Throws<DatabaseCommandException>(() => DatabaseSchema.Apply(source, tables, mustExist: true));

        Assert.Contains("postern db init", e.Message, StringComparison.Ordinal);
        Assert.Null(DatabaseSchema.Status(source, tables).Version);
    }

    [Fact]
    public void A_schema_newer_than_this_postern_is_refused()
    {
        using var source = Fresh("schema_newer");
        DatabaseSchema.Apply(source, new SchemaTables([], null), mustExist: false);
        using (var command = source.CreateCommand("UPDATE postern_schema SET version = 99"))
        {
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<DatabaseCommandException>(() => DatabaseSchema.Apply(source, new SchemaTables(["access"], null), mustExist: true));

        Assert.Contains("version 99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_change_notifies_the_channel_with_table_and_key()
    {
        using var source = Fresh("schema_notify");
        DatabaseSchema.Apply(source, new SchemaTables(["relay_domains"], null), mustExist: false);
        using var listener = source.OpenConnection();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        using (var listen = new NpgsqlCommand("LISTEN postern_maps", listener))
        {
            listen.ExecuteNonQuery();
        }

        var writer = new MapTableWriter(source, "relay_domains");
        writer.Put("example.com", "");
        writer.Put("example.com", "");
        writer.Remove("example.com");
        using (var truncate = source.CreateCommand("TRUNCATE relay_domains"))
        {
            truncate.ExecuteNonQuery();
        }
        while (payloads.Count < 3 && listener.Wait(TimeSpan.FromSeconds(2)))
        {
        }
        listener.Wait(TimeSpan.FromMilliseconds(200));

        // The second Put changes nothing and writes nothing.
        Assert.Equal(["relay_domains example.com", "relay_domains example.com", "relay_domains"], payloads);
    }
}
