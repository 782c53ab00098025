using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postern.Config;
using Postern.Core.Auth;
using Postern.Core.Maps;
using Postern.Database;

namespace Postern.Hosting;

/// <summary>
/// Where the <c>pgsql:</c> maps and users come from in <c>postern serve</c>: the process's one
/// <see cref="PostgresMaps"/> (null without <c>[database]</c>), which every table shares (pool,
/// cache, LISTEN connection). A hosted service registered before <see cref="MtaService"/>, so it
/// starts listening first and is disposed after the listeners and the queue runner have stopped.
/// </summary>
internal sealed class MapSources : IHostedService, IAsyncDisposable, IDisposable
{
    private bool _disposed;

    public MapSources(PosternConfiguration configuration, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Database = configuration.Database is { } options ? new PostgresMaps(options, time, loggers) : null;
    }

    /// <summary>The database of the <c>pgsql:</c> maps; null when there is no <c>[database]</c>.</summary>
    public PostgresMaps? Database { get; }

    /// <summary>The table a <c>pgsql:NAME</c> reference names.</summary>
    /// <exception cref="ArgumentException">The reference is a file (read it as a file).</exception>
    /// <exception cref="InvalidOperationException">There is no [database] (the configuration refuses that).</exception>
    public ILookupTable Table(MapReference reference) =>
        Database?.Table(reference) ?? throw new InvalidOperationException($"{reference} needs a [database] section");

    /// <summary>The users in table <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">There is no [database] (the configuration refuses that).</exception>
    public IUserDirectory Users(string name) =>
        Database?.Users(name) ?? throw new InvalidOperationException($"pgsql:{name} needs a [database] section");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Database?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    // The host's service provider disposes singletons synchronously.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
