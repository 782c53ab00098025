using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Postern.Database;
using Postern.Testing.Postgres;

namespace Postern.Tests.Database;

/// <summary>One private PostgreSQL per test class, with the schema and the tables the tests use.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public static readonly SchemaTables Tables = new(["access", "aliases", "relay_domains"], "users");

    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("not started");

    public NpgsqlDataSource Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.CreateAsync();
        Admin = NpgsqlDataSource.Create(_server.ConnectionString);
        DatabaseSchema.Apply(Admin, Tables, mustExist: false);
    }

    public async Task DisposeAsync()
    {
        if (Admin is not null)
        {
            await Admin.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Options for this server; <paramref name="applicationName"/> tags the connections in pg_stat_activity.</summary>
    public DatabaseOptions Options(string applicationName = "postern-test") =>
        new(Server.ConnectionString + ";Application Name=" + applicationName) { Timeout = TimeSpan.FromSeconds(5) };

    public static PostgresMaps Maps(DatabaseOptions options, TimeProvider? time = null) =>
        new(options, time ?? TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Runs SQL as the superuser.</summary>
    public void Execute(string sql)
    {
        using var command = Admin.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    /// <summary>Changes a row without telling anyone: the session skips triggers (as a replica would).</summary>
    public void ExecuteSilently(string sql)
    {
        using var connection = Admin.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var replica = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection))
        {
            replica.ExecuteNonQuery();
        }
        using (var command = new NpgsqlCommand(sql, connection))
        {
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Waits, on the real clock and at most <paramref name="limit"/>, for <paramref name="condition"/>.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(25);
        }
        return await condition();
    }

    public static Task<bool> Eventually(Func<bool> condition, TimeSpan limit) => Eventually(() => Task.FromResult(condition()), limit);
}
