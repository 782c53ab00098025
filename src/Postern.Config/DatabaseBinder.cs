using Npgsql;
using Postern.Database;

namespace Postern.Config;

/// <summary>
/// Binds <c>[database]</c>, the PostgreSQL database of the <c>pgsql:NAME</c> maps, and reports
/// every key that named such a map when the section is absent.
/// </summary>
internal static class DatabaseBinder
{
    public static DatabaseOptions? Bind(ConfigSection? section, ConfigDiagnostics diagnostics)
    {
        var options = section is null ? null : BindSection(section);
        if (section is null)
        {
            foreach (var use in diagnostics.DatabaseMaps)
            {
                diagnostics.Add(use.Location, use.Key, $"names pgsql:{use.Table}, but there is no [database] section with its connection");
            }
        }
        return options;
    }

    private static DatabaseOptions? BindSection(ConfigSection section)
    {
        const string Key = "connection";
        var connection = section.GetString(Key);
        DatabaseOptions? options = null;
        if (connection is null)
        {
            if (!section.Contains(Key))
            {
                section.Diagnostics.Add(section.Location, section.KeyPath(Key), "is required: an Npgsql connection string such as \"Host=db.example.org;Database=postern;Username=postern\"");
            }
        }
        else if (ConnectionProblem(connection) is { } problem)
        {
            // The value itself is never repeated: it may hold a password.
            section.Error(Key, $"is not a valid connection string: {problem}");
        }
        else
        {
            var defaults = new DatabaseOptions(connection);
            options = defaults with
            {
                MaxConnections = (int?)section.GetInteger("max_connections", 1, 1000) ?? defaults.MaxConnections,
                CacheSize = (int?)section.GetInteger("cache_size", 0, 10_000_000) ?? defaults.CacheSize,
                CacheTtl = section.GetDuration("cache_ttl", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? defaults.CacheTtl,
                Timeout = section.GetDuration("timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)) ?? defaults.Timeout,
            };
        }
        section.ReportUnknownKeys();
        return options;
    }

    private static string? ConnectionProblem(string connection)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            return string.IsNullOrEmpty(builder.Host) ? "it names no Host" : null;
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the keyword, never the value.
            return e.Message;
        }
    }
}
