using Npgsql;

namespace Postern.Database;

/// <summary>
/// The Npgsql data sources for <see cref="DatabaseOptions"/>: the pool lookups and writers use,
/// bounded by <c>max_connections</c>, with <c>timeout</c> as both the connect and the command
/// timeout; and the one unpooled connection that LISTENs for changes, with keepalives so a database
/// that vanished without closing the connection is noticed.
/// </summary>
public static class DatabaseConnection
{
    /// <summary>Seconds between keepalives on the LISTEN connection.</summary>
    public const int ListenKeepAliveSeconds = 5;

    public static NpgsqlDataSource CreatePool(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Builder(options);
        builder.Pooling = true;
        builder.MaxPoolSize = options.MaxConnections;
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, options.MaxConnections);
        return NpgsqlDataSource.Create(builder);
    }

    public static NpgsqlDataSource CreateListener(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Builder(options);
        builder.Pooling = false;
        builder.KeepAlive = ListenKeepAliveSeconds;
        builder.TcpKeepAlive = true;
        return NpgsqlDataSource.Create(builder);
    }

    private static NpgsqlConnectionStringBuilder Builder(DatabaseOptions options)
    {
        var seconds = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        var builder = new NpgsqlConnectionStringBuilder(options.Connection)
        {
            Timeout = Math.Clamp(seconds, 1, 1024),
            CommandTimeout = Math.Max(seconds, 1),
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "postern";
        }
        return builder;
    }
}
