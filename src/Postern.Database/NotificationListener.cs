using Microsoft.Extensions.Logging;
using Npgsql;

namespace Postern.Database;

/// <summary>
/// Keeps one connection LISTENing on <c>postern_maps</c>, where every map table's trigger says
/// <c>TABLE KEY</c> on each insert, update and delete (and <c>TABLE</c> alone on TRUNCATE): each
/// notification drops that answer from the cache, so a change reaches every node within moments.
/// While the connection is down the cache is emptied and holds nothing (lookups go to the
/// database, and fail at once if it is down); the listener reconnects with a backoff from 250 ms
/// to 5 s, and only once LISTEN is in place again are answers kept.
/// </summary>
internal sealed partial class NotificationListener : IAsyncDisposable
{
    public const string Channel = "postern_maps";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _source;
    private readonly LookupCache _cache;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _reportedDown;
    private long _notifications;

    public NotificationListener(NpgsqlDataSource source, LookupCache cache, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        _source = source;
        _cache = cache;
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many notifications arrived (tests wait on it).</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            var connected = false;
            try
            {
                await ListenAsync(() => connected = true, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is OperationCanceledException || DatabaseFailure.IsDatabaseError(e))
            {
                _cache.Disable();
                if (connected)
                {
                    LogLost(DatabaseFailure.Describe(e));
                }
                else if (!_reportedDown)
                {
                    LogCannotListen(DatabaseFailure.Describe(e));
                }
                _reportedDown = true;
            }
            _cache.Disable();
            backoff = connected ? FirstBackoff : backoff;
            try
            {
                await Task.Delay(backoff, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
        _cache.Disable();
    }

    private async Task ListenAsync(Action connected, CancellationToken stopping)
    {
        NpgsqlConnection connection;
        using (var deadline = new CancellationTokenSource(_timeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token))
        {
            connection = await _source.OpenConnectionAsync(linked.Token).ConfigureAwait(false);
            try
            {
                connection.Notification += OnNotification;
                await using var command = new NpgsqlCommand("LISTEN " + Channel, connection);
                await command.ExecuteNonQueryAsync(linked.Token).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        await using (connection)
        {
            // Whatever changed while nobody listened is unknown: start from an empty cache.
            _cache.Enable();
            connected();
            if (_reportedDown)
            {
                LogListening();
                _reportedDown = false;
            }
            while (true)
            {
                // Returns after each notification; keepalives (DatabaseConnection) notice a dead peer.
                await connection.WaitAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Interlocked.Increment(ref _notifications);
        var payload = e.Payload;
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            _cache.InvalidateTable(payload);
        }
        else
        {
            _cache.Invalidate(payload[..space], payload[(space + 1)..]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "database: cannot listen for map changes ({Reason}); lookups go to the database uncached until it is back")]
    private partial void LogCannotListen(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "database: lost the connection listening for map changes ({Reason}); cache dropped, lookups uncached until it is back")]
    private partial void LogLost(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "database: listening for map changes again; caching resumes")]
    private partial void LogListening();
}
