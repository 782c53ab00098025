namespace Postern.Delivery.Relay;

/// <summary>
/// Counts the open connections per host name (idle ones included) against MaxPerDestination and
/// keeps sessions open for a short idle time after a message, so the next message to the same host
/// skips connect, TLS and AUTH. A slot is granted by <see cref="AcquireAsync"/> and given back by
/// <see cref="Return"/> (session still good) or <see cref="Release"/> (session gone or never opened).
/// </summary>
internal sealed class RelaySessionPool : IAsyncDisposable
{
    /// <summary>Bounds the QUIT sent to an evicted or expired session: a silent server must not stall shutdown.</summary>
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<Task> _closing = [];
    private readonly int _maxPerHost;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private bool _disposed;

    public RelaySessionPool(int maxPerHost, TimeSpan idleTimeout, TimeProvider time)
    {
        _maxPerHost = Math.Max(1, maxPerHost);
        _idleTimeout = idleTimeout;
        _time = time;
    }

    /// <summary>Idle sessions kept right now, over all hosts.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _hosts.Values.Sum(h => h.Idle.Count);
            }
        }
    }

    /// <summary>Waits for a slot for <paramref name="key"/>'s host: a kept session for the key, a free slot, or an idle session's slot.</summary>
    public async ValueTask<RelaySessionGrant> AcquireAsync(RelaySessionKey key, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        HostState state;
        lock (_lock)
        {
            state = Host(key.HostName);
            var match = state.Idle.FindLast(i => i.Key == key);
            if (match is not null)
            {
                state.Idle.Remove(match);
                match.Timer.Dispose();
                return new RelaySessionGrant(match.Client, null);
            }
            if (state.Open < _maxPerHost)
            {
                state.Open++;
                return default;
            }
            if (state.Idle.Count > 0)
            {
                var oldest = state.Idle[0];
                state.Idle.RemoveAt(0);
                oldest.Timer.Dispose();
                return new RelaySessionGrant(null, oldest.Client);
            }
            waiter = new Waiter(key);
            node = state.Waiters.AddLast(waiter);
        }
        // A grant and a cancellation both remove the node under the lock first, so exactly one wins.
        using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    state.Waiters.Remove(node);
                    waiter.Completion.TrySetCanceled(cancellationToken);
                }
            }
        }))
        {
            return await waiter.Completion.Task;
        }
    }

    /// <summary>Gives back a slot whose session finished a message cleanly: to a waiter, or kept idle.</summary>
    public void Return(RelaySessionKey key, SmtpRelayClient client)
    {
        lock (_lock)
        {
            var state = Host(key.HostName);
            if (state.Waiters.First is { } first)
            {
                state.Waiters.RemoveFirst();
                first.Value.Completion.SetResult(first.Value.Key == key ? new RelaySessionGrant(client, null) : new RelaySessionGrant(null, client));
                return;
            }
            if (!_disposed && _idleTimeout > TimeSpan.Zero)
            {
                var idle = new IdleSession(key, client);
                idle.Timer = _time.CreateTimer(static s => ((IdleExpiry)s!).Fire(), new IdleExpiry(this, idle), _idleTimeout, Timeout.InfiniteTimeSpan);
                state.Idle.Add(idle);
                return;
            }
            Track(CloseThenReleaseAsync(key.HostName, client));
        }
    }

    /// <summary>Gives back a slot without a session (it failed, was closed or never opened).</summary>
    public void Release(string hostName)
    {
        lock (_lock)
        {
            var state = Host(hostName);
            if (state.Waiters.First is { } first)
            {
                state.Waiters.RemoveFirst();
                first.Value.Completion.SetResult(default);
                return;
            }
            state.Open--;
        }
    }

    /// <summary>QUIT, bounded in time; a broken session only needs closing.</summary>
    public async ValueTask CloseQuietlyAsync(SmtpRelayClient client)
    {
        try
        {
            using var bounded = new CancellationTokenSource(QuitTimeout, _time);
            await client.QuitAsync(bounded.Token);
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    private void Expire(IdleSession idle)
    {
        lock (_lock)
        {
            if (!Host(idle.Key.HostName).Idle.Remove(idle))
            {
                return;
            }
            idle.Timer.Dispose();
            Track(CloseThenReleaseAsync(idle.Key.HostName, idle.Client));
        }
    }

    private async Task CloseThenReleaseAsync(string hostName, SmtpRelayClient client)
    {
        await Task.Yield();
        await CloseQuietlyAsync(client);
        Release(hostName);
    }

    private void Track(Task task)
    {
        _closing.Add(task);
        _ = task.ContinueWith(
            done =>
            {
                lock (_lock)
                {
                    _closing.Remove(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private HostState Host(string hostName)
    {
        if (!_hosts.TryGetValue(hostName, out var state))
        {
            state = new HostState();
            _hosts.Add(hostName, state);
        }
        return state;
    }

    /// <summary>QUITs every idle session and waits for closes under way; later returns close at once.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] closing;
        lock (_lock)
        {
            _disposed = true;
            foreach (var state in _hosts.Values)
            {
                foreach (var idle in state.Idle)
                {
                    idle.Timer.Dispose();
                    Track(CloseThenReleaseAsync(idle.Key.HostName, idle.Client));
                }
                state.Idle.Clear();
            }
            closing = [.. _closing];
        }
        await Task.WhenAll(closing);
    }

    private sealed class HostState
    {
        public int Open { get; set; }

        public List<IdleSession> Idle { get; } = [];

        public LinkedList<Waiter> Waiters { get; } = new();
    }

    private sealed class IdleSession(RelaySessionKey key, SmtpRelayClient client)
    {
        public RelaySessionKey Key { get; } = key;

        public SmtpRelayClient Client { get; } = client;

        public ITimer Timer { get; set; } = null!;
    }

    private sealed class IdleExpiry(RelaySessionPool pool, IdleSession idle)
    {
        public void Fire() => pool.Expire(idle);
    }

    private sealed class Waiter(RelaySessionKey key)
    {
        public RelaySessionKey Key { get; } = key;

        public TaskCompletionSource<RelaySessionGrant> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
