using System.Globalization;
using Npgsql;
using Postern.Core.Maps;

namespace Postern.Database;

/// <summary>
/// The schema: <c>postern_schema(version)</c> records the migration level; the function
/// <c>postern_notify()</c> says <c>TABLE KEY</c> on channel <c>postern_maps</c> for every row a
/// map table's trigger sees change (<c>TABLE</c> alone on TRUNCATE); each <c>pgsql:NAME</c> map is
/// <c>NAME(key text PRIMARY KEY, value text NOT NULL, updated timestamptz NOT NULL DEFAULT now())</c>
/// with that trigger, and the users table also has <c>certificates text[]</c> with a GIN index.
/// Every change runs in one transaction under an advisory lock, so two nodes running
/// <c>postern db init</c> at once do not trip over each other.
/// </summary>
public static class DatabaseSchema
{
    /// <summary>The level this version of Postern writes and reads.</summary>
    public const int CurrentVersion = 1;

    private const long AdvisoryLock = 0x706f7374_65726e; // "postern"

    /// <summary>Migration N takes the schema from level N-1 to N; index 0 is level 1.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE OR REPLACE FUNCTION postern_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('postern_maps', TG_TABLE_NAME);
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('postern_maps', TG_TABLE_NAME || ' ' || OLD.key);
            ELSE
                PERFORM pg_notify('postern_maps', TG_TABLE_NAME || ' ' || NEW.key);
                IF TG_OP = 'UPDATE' AND OLD.key IS DISTINCT FROM NEW.key THEN
                    PERFORM pg_notify('postern_maps', TG_TABLE_NAME || ' ' || OLD.key);
                END IF;
            END IF;
            RETURN NULL;
        END
        $fn$;
        """,
    ];

    /// <summary>
    /// Creates what is missing: the schema at <see cref="CurrentVersion"/> and each table
    /// <paramref name="tables"/> names. Returns what it did, one line each.
    /// </summary>
    /// <param name="source">The database.</param>
    /// <param name="tables">The tables the configuration names.</param>
    /// <param name="mustExist">Refuse a database that was never initialised (<c>postern db migrate</c>).</param>
    /// <exception cref="DatabaseCommandException">The database refused or cannot be reached; nothing changed.</exception>
    public static IReadOnlyList<string> Apply(NpgsqlDataSource source, SchemaTables tables, bool mustExist)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tables);
        return DatabaseCommandException.Wrap("the schema", () =>
        {
            using var connection = source.OpenConnection();
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLock})");
            var done = new List<string>();
            var version = ReadVersion(connection);
            if (version is null && mustExist)
            {
                throw new DatabaseCommandException("the database has no Postern schema: run `postern db init` first");
            }
            if (version > CurrentVersion)
            {
                throw new DatabaseCommandException(string.Create(CultureInfo.InvariantCulture, $"the schema is at version {version}, newer than this Postern's {CurrentVersion}: upgrade Postern"));
            }
            if (version is null)
            {
                Execute(connection, "CREATE TABLE postern_schema (version integer NOT NULL)");
                Execute(connection, "INSERT INTO postern_schema (version) VALUES (0)");
                version = 0;
            }
            for (var level = version.Value + 1; level <= CurrentVersion; level++)
            {
                Execute(connection, Migrations[level - 1]);
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"UPDATE postern_schema SET version = {level}"));
                done.Add(string.Create(CultureInfo.InvariantCulture, $"schema: version {level - 1} -> {level}"));
            }
            foreach (var table in tables.Maps.Distinct(StringComparer.Ordinal).Where(t => t != tables.Users))
            {
                if (CreateTable(connection, table, users: false))
                {
                    done.Add($"created table {table}");
                }
            }
            if (tables.Users is { } usersTable && CreateTable(connection, usersTable, users: true))
            {
                done.Add($"created table {usersTable} (users)");
            }
            transaction.Commit();
            return (IReadOnlyList<string>)done;
        });
    }

    /// <summary>The schema version (null when never initialised) and each named table's row count (null when it does not exist).</summary>
    /// <exception cref="DatabaseCommandException">The database cannot be reached or refused.</exception>
    public static SchemaStatus Status(NpgsqlDataSource source, SchemaTables tables)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tables);
        return DatabaseCommandException.Wrap("the schema", () =>
        {
            using var connection = source.OpenConnection();
            var version = ReadVersion(connection);
            var counts = new List<TableStatus>();
            foreach (var table in tables.All)
            {
                long? rows = TableExists(connection, table)
                    ? Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM \"{table}\""), CultureInfo.InvariantCulture)
                    : null;
                counts.Add(new TableStatus(table, table == tables.Users, rows));
            }
            return new SchemaStatus(version, counts);
        });
    }

    private static bool CreateTable(NpgsqlConnection connection, string table, bool users)
    {
        if (!MapReference.IsTableName(table))
        {
            throw new ArgumentException($"not a table name: {table}", nameof(table));
        }
        var existed = TableExists(connection, table);
        var certificates = users ? ", certificates text[] NOT NULL DEFAULT '{}'" : "";
        Execute(connection, $"CREATE TABLE IF NOT EXISTS \"{table}\" (key text PRIMARY KEY, value text NOT NULL{certificates}, updated timestamptz NOT NULL DEFAULT now())");
        if (users)
        {
            Execute(connection, $"CREATE INDEX IF NOT EXISTS \"{Truncate(table, "_certificates")}\" ON \"{table}\" USING gin (certificates)");
        }
        Execute(connection, $"CREATE OR REPLACE TRIGGER \"{Truncate(table, "_notify")}\" AFTER INSERT OR UPDATE OR DELETE ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION postern_notify()");
        Execute(connection, $"CREATE OR REPLACE TRIGGER \"{Truncate(table, "_truncate")}\" AFTER TRUNCATE ON \"{table}\" FOR EACH STATEMENT EXECUTE FUNCTION postern_notify()");
        return !existed;
    }

    /// <summary>An object name from the table's: at most 63 characters, as PostgreSQL keeps.</summary>
    private static string Truncate(string table, string suffix) => table[..Math.Min(table.Length, 63 - suffix.Length)] + suffix;

    private static int? ReadVersion(NpgsqlConnection connection) =>
        TableExists(connection, "postern_schema")
            ? Scalar(connection, "SELECT max(version) FROM postern_schema") is int version ? version : null
            : null;

    private static bool TableExists(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "\"" + table + "\"" });
        return command.ExecuteScalar() is true;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}

/// <summary>The tables the configuration names: every <c>pgsql:</c> map, and the users table when <c>auth.users_file</c> is one.</summary>
public sealed record SchemaTables(IReadOnlyList<string> Maps, string? Users)
{
    /// <summary>The maps, then the users table, each once.</summary>
    public IEnumerable<string> All => Maps.Append(Users).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>What <c>postern db status</c> shows.</summary>
/// <param name="Version">The schema's level; null when never initialised.</param>
/// <param name="Tables">The configured tables, in order.</param>
public sealed record SchemaStatus(int? Version, IReadOnlyList<TableStatus> Tables);

/// <summary>One configured table in <c>postern db status</c>.</summary>
/// <param name="Name">The table.</param>
/// <param name="Users">Whether it is the users table.</param>
/// <param name="Rows">The number of rows; null when the table does not exist.</param>
public sealed record TableStatus(string Name, bool Users, long? Rows);
