namespace Postern.Database;

/// <summary>
/// The answers of recent lookups, found (a value) and not found (null) alike, keyed by table and
/// key: at most <c>capacity</c> of them, the least recently used going first, each used for at
/// most <c>ttl</c>. It only holds answers while the notification listener is connected
/// (<see cref="Enable"/>): without LISTEN a change made elsewhere would go unseen until the TTL,
/// so then every lookup goes to the database. Every invalidation bumps a generation, and an answer
/// is stored only when no invalidation happened since its query began, so a row changed during a
/// query never leaves the old answer behind.
/// </summary>
public sealed class LookupCache
{
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Table, string Key), LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _generation;
    private bool _enabled;

    public LookupCache(int capacity, TimeSpan ttl, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _ttl = ttl;
        _time = time;
    }

    /// <summary>How many answers are held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Whether answers are being kept (the notification listener is connected and the cache has room and time).</summary>
    public bool IsEnabled
    {
        get
        {
            lock (_gate)
            {
                return _enabled;
            }
        }
    }

    /// <summary>The generation to pass to <see cref="Store"/> for a query that starts now.</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    /// <summary>Whether an answer for (table, key) is held: <paramref name="value"/> is the value, or null for "not in the table".</summary>
    public bool TryGet(string table, string key, out string? value)
    {
        lock (_gate)
        {
            value = null;
            if (!_index.TryGetValue((table, key), out var node))
            {
                return false;
            }
            if (_time.GetUtcNow() >= node.Value.Expires)
            {
                Unlink(node);
                return false;
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
    }

    /// <summary>Keeps an answer read by a query that began at <paramref name="generation"/>, unless something was invalidated since.</summary>
    public void Store(long generation, string table, string key, string? value)
    {
        lock (_gate)
        {
            if (!_enabled || generation != _generation || _capacity == 0 || _ttl <= TimeSpan.Zero)
            {
                return;
            }
            if (_index.TryGetValue((table, key), out var old))
            {
                Unlink(old);
            }
            while (_index.Count >= _capacity && _recency.Last is { } oldest)
            {
                Unlink(oldest);
            }
            var node = _recency.AddFirst(new Entry(table, key, value, _time.GetUtcNow() + _ttl));
            _index[(table, key)] = node;
        }
    }

    /// <summary>A row changed (a notification): its answer goes.</summary>
    public void Invalidate(string table, string key)
    {
        lock (_gate)
        {
            _generation++;
            if (_index.TryGetValue((table, key), out var node))
            {
                Unlink(node);
            }
        }
    }

    /// <summary>A whole table changed (TRUNCATE): its answers go.</summary>
    public void InvalidateTable(string table)
    {
        lock (_gate)
        {
            _generation++;
            foreach (var node in _index.Where(p => p.Key.Table == table).Select(p => p.Value).ToList())
            {
                Unlink(node);
            }
        }
    }

    /// <summary>The notification listener is connected: from now on answers may be kept (anything older was dropped).</summary>
    public void Enable()
    {
        lock (_gate)
        {
            _generation++;
            _index.Clear();
            _recency.Clear();
            _enabled = true;
        }
    }

    /// <summary>The notification listener lost its connection: every answer goes, and none is kept until it is back.</summary>
    public void Disable()
    {
        lock (_gate)
        {
            _generation++;
            _index.Clear();
            _recency.Clear();
            _enabled = false;
        }
    }

    private void Unlink(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _index.Remove((node.Value.Table, node.Value.Key));
    }

    private sealed record Entry(string Table, string Key, string? Value, DateTimeOffset Expires);
}
