using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Postern.Core.Auth;
using Postern.Core.Maps;

namespace Postern.Database;

/// <summary>
/// The process's one way to the <c>[database]</c> database: the bounded connection pool, the cache
/// of answers every <c>pgsql:</c> table shares, and the LISTEN connection that keeps the cache
/// true. <see cref="Table(string)"/> gives the <see cref="ILookupTable"/> for a map,
/// <see cref="Users"/> the user directory. Created once by <c>postern serve</c>, started after
/// the configuration is loaded, disposed at stop.
/// </summary>
public sealed class PostgresMaps : IAsyncDisposable
{
    private readonly DatabaseOptions _options;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _pool;
    private readonly NpgsqlDataSource _listenSource;
    private readonly NotificationListener _listener;
    private readonly ConcurrentDictionary<string, PgsqlLookupTable> _tables = new(StringComparer.Ordinal);

    public PostgresMaps(DatabaseOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _time = time;
        _pool = DatabaseConnection.CreatePool(options);
        _listenSource = DatabaseConnection.CreateListener(options);
        Cache = new LookupCache(options.CacheSize, options.CacheTtl, time);
        _listener = new NotificationListener(_listenSource, Cache, options.Timeout, time, loggers.CreateLogger("postern.database"));
    }

    /// <summary>The answers every table shares.</summary>
    public LookupCache Cache { get; }

    /// <summary>Whether the LISTEN connection is in place (and so answers are cached).</summary>
    public bool IsListening => Cache.IsEnabled;

    /// <summary>Notifications received so far.</summary>
    public long Notifications => _listener.Notifications;

    /// <summary>Starts listening for changes; lookups work (uncached) before and without it.</summary>
    public void Start() => _listener.Start();

    /// <summary>The map in table <paramref name="name"/> (one instance per name).</summary>
    public ILookupTable Table(string name) => TableOf(name);

    /// <summary>The map a <c>pgsql:NAME</c> reference names.</summary>
    /// <exception cref="ArgumentException">The reference is a file.</exception>
    public ILookupTable Table(MapReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.IsDatabase ? TableOf(reference.TableName) : throw new ArgumentException($"{reference} is a file, not a table", nameof(reference));
    }

    /// <summary>The SMTP AUTH users in table <paramref name="name"/>.</summary>
    public IUserDirectory Users(string name) => new PgsqlUserDirectory(TableOf(name), _pool, _options.Timeout, _time);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _listenSource.DisposeAsync().ConfigureAwait(false);
        await _pool.DisposeAsync().ConfigureAwait(false);
    }

    private PgsqlLookupTable TableOf(string name) =>
        _tables.GetOrAdd(name, n => new PgsqlLookupTable(_pool, n, Cache, _options.Timeout, _time));
}
