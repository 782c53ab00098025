using Microsoft.Extensions.Logging;
using Postern.Queue.Maildrop;

namespace Postern.Hosting.Pickup;

/// <summary>
/// Runs the <see cref="MaildropPickup"/> in `postern serve`: once at start (submissions made while
/// the daemon was down), whenever a file in the maildrop is opened to the daemon (inotify, attribute changes only), on
/// SIGUSR1 and once a minute in case an event was missed. Passes never overlap.
/// </summary>
internal sealed partial class PickupService : IAsyncDisposable
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>The pause after a failed pass before the next one.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(5);

    private readonly MaildropPickup _pickup;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly FileSystemWatcher? _watcher;
    private readonly Task _loop;

    public PickupService(MaildropPickup pickup, string directory, TimeProvider time, ILogger log)
    {
        _pickup = pickup;
        _time = time;
        _log = log;
        try
        {
            // A submission is complete when its mode changes to readable: an attribute change, and
            // the only event watched (not every write of a large submission wakes a pass).
            _watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.Attributes };
            _watcher.Changed += (_, _) => Wake();
            _watcher.Error += (_, e) => WatchFailed(_log, e.GetException().Message);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            WatchFailed(_log, e.Message);
            _watcher?.Dispose();
            _watcher = null;
        }
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Asks for a pass soon; many wakes before it starts make one pass.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _wake.Dispose();
        _pickup.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _pickup.PickUpAsync(_stop.Token);
                await WaitForWakeAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                PassFailed(_log, e.Message);
                try
                {
                    await Task.Delay(RetryPause, _time, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Until <see cref="Wake"/> or the next sweep is due; throws only when stopping.</summary>
    private async Task WaitForWakeAsync()
    {
        using var sweep = new CancellationTokenSource(SweepInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, sweep.Token);
        try
        {
            await _wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The sweep is due.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop: cannot watch for submissions ({Reason}); they are picked up once a minute")]
    private static partial void WatchFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "maildrop: pickup failed: {Reason}; retrying")]
    private static partial void PassFailed(ILogger logger, string reason);
}
