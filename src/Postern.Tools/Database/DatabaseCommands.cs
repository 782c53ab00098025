using System.Globalization;
using Npgsql;
using Postern.Config;
using Postern.Database;

namespace Postern.Tools.Database;

/// <summary>
/// <c>postern db init|migrate|status</c>: the schema in the <c>[database]</c> database and the
/// tables the configuration names (each <c>pgsql:</c> map, and the users table when
/// <c>auth.users_file</c> is one). Errors are one line naming what failed and the database's
/// reason, never the connection string.
/// </summary>
public static class DatabaseCommands
{
    private const string Prefix = "postern: db: ";

    /// <summary>The tables <paramref name="configuration"/> names.</summary>
    public static SchemaTables TablesOf(PosternConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var users = configuration.Server.Auth.UsersTable;
        var maps = configuration.DatabaseMaps.Select(use => use.Table).Where(t => t != users).Distinct(StringComparer.Ordinal).ToList();
        return new SchemaTables(maps, users);
    }

    /// <summary>Creates the schema and the configured tables that are missing.</summary>
    public static int Init(PosternConfiguration configuration, TextWriter output, TextWriter error) =>
        Apply(configuration, mustExist: false, output, error);

    /// <summary>Upgrades the schema to this version's level and creates configured tables that are missing; refuses a database never initialised.</summary>
    public static int Migrate(PosternConfiguration configuration, TextWriter output, TextWriter error) =>
        Apply(configuration, mustExist: true, output, error);

    public static int Status(PosternConfiguration configuration, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Run(configuration, error, source =>
        {
            var status = DatabaseSchema.Status(source, TablesOf(configuration));
            output.WriteLine(status.Version is { } version
                ? string.Create(CultureInfo.InvariantCulture, $"schema: version {version}{(version < DatabaseSchema.CurrentVersion ? $" (this Postern uses {DatabaseSchema.CurrentVersion}: run `postern db migrate`)" : "")}")
                : "schema: none (run `postern db init`)");
            foreach (var table in status.Tables)
            {
                var what = table.Users ? " (users)" : "";
                output.WriteLine(table.Rows is { } rows
                    ? string.Create(CultureInfo.InvariantCulture, $"{table.Name}{what}: {rows} row(s)")
                    : $"{table.Name}{what}: missing (run `postern db init`)");
            }
            return status.Version == DatabaseSchema.CurrentVersion && status.Tables.All(t => t.Rows is not null) ? ExitCodes.Ok : ExitCodes.DataError;
        });
    }

    private static int Apply(PosternConfiguration configuration, bool mustExist, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Run(configuration, error, source =>
        {
            var done = DatabaseSchema.Apply(source, TablesOf(configuration), mustExist);
            foreach (var line in done)
            {
                output.WriteLine(line);
            }
            if (done.Count == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"schema: version {DatabaseSchema.CurrentVersion}, every configured table present; nothing to do"));
            }
            return ExitCodes.Ok;
        });
    }

    /// <summary>Opens the configured database for one command; a missing <c>[database]</c> or a database error is one line.</summary>
    internal static int Run(PosternConfiguration configuration, TextWriter error, Func<NpgsqlDataSource, int> work)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        if (configuration.Database is not { } options)
        {
            error.WriteLine($"{Prefix}{configuration.Source} has no [database] section");
            return ExitCodes.Config;
        }
        try
        {
            using var source = DatabaseConnection.CreatePool(options with { MaxConnections = 2 });
            return work(source);
        }
        catch (DatabaseCommandException e)
        {
            error.WriteLine(Prefix + e.Message);
            return ExitCodes.TempFail;
        }
    }
}
