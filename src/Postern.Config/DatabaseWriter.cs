using Npgsql;
using Postern.Database;

namespace Postern.Config;

/// <summary>
/// The <c>[database]</c> section of <c>config show</c>. The connection string is shown with its
/// password replaced, so the output may be pasted into a ticket; the section still loads.
/// </summary>
internal static class DatabaseWriter
{
    public const string HiddenPassword = "(hidden)";

    public static void Write(TomlBuilder toml, DatabaseOptions? options)
    {
        if (options is null)
        {
            toml.Comment("[database] is not set: no map or user table is read from PostgreSQL.");
            return;
        }
        toml.Section("database");
        var builder = new NpgsqlConnectionStringBuilder(options.Connection);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = HiddenPassword;
            toml.Comment("connection: the password is never shown.");
        }
        toml.Key("connection", TomlText.String(builder.ConnectionString));
        toml.Key("max_connections", TomlText.Integer(options.MaxConnections));
        toml.Key("cache_size", TomlText.Integer(options.CacheSize));
        toml.Key("cache_ttl", TomlText.String(DurationSyntax.Format(options.CacheTtl)));
        toml.Key("timeout", TomlText.String(DurationSyntax.Format(options.Timeout)));
    }
}
