namespace Postern.Database;

/// <summary>
/// The <c>[database]</c> section: the PostgreSQL database the <c>pgsql:NAME</c> maps live in.
/// </summary>
/// <param name="Connection">An Npgsql connection string (<c>Host=...;Database=postern;Username=...;Password=...</c>); holds a secret: never logged or echoed.</param>
public sealed record DatabaseOptions(string Connection)
{
    /// <summary>The most connections this process opens to the database (Npgsql's pool).</summary>
    public int MaxConnections { get; init; } = 10;

    /// <summary>The most lookup answers kept in memory, found and not found alike, per process.</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>How long a cached answer is used; LISTEN/NOTIFY drops changed entries sooner, and the whole cache goes when the notification channel is lost.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one lookup may take (connecting included) before the stage answers 451 4.3.0.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
