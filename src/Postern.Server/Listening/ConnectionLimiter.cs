using System.Net;

namespace Postern.Server.Listening;

/// <summary>
/// Counts open connections globally and per client address, and knows when the server is under
/// stress: from 80% of the slots taken until fewer than 70% are (the gap keeps a count hovering
/// at the line from switching, and logging, at every connection). Thread-safe.
/// </summary>
internal sealed class ConnectionLimiter
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private readonly int _maxConnections;
    private readonly int _maxPerAddress;
    private readonly int _stressStarts;
    private readonly int _stressEnds;
    private readonly Action<bool, int>? _stressChanged;
    private int _total;
    private volatile bool _underStress;

    /// <param name="maxConnections">Slots across all listeners.</param>
    /// <param name="maxPerAddress">Slots for one client address unless its own limit says otherwise.</param>
    /// <param name="stressChanged">Told (under stress or not, connections in use) when stress starts or ends.</param>
    public ConnectionLimiter(int maxConnections, int maxPerAddress, Action<bool, int>? stressChanged = null)
    {
        _maxConnections = maxConnections;
        _maxPerAddress = maxPerAddress;
        _stressStarts = Math.Max(1, (int)Math.Ceiling(maxConnections * 0.8));
        _stressEnds = Math.Max(1, (int)Math.Ceiling(maxConnections * 0.7));
        _stressChanged = stressChanged;
    }

    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    public bool UnderStress => _underStress;

    /// <summary>
    /// Takes a slot, or says why not. <paramref name="clientLimit"/> replaces the per-address limit
    /// for this client (0: none). Release with <see cref="Release"/>.
    /// </summary>
    public ConnectionRefusal TryAcquire(IPAddress address, int? clientLimit = null)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (_total >= _maxConnections)
            {
                return ConnectionRefusal.ServerFull;
            }
            _perAddress.TryGetValue(address, out var count);
            var limit = clientLimit ?? _maxPerAddress;
            if (limit > 0 && count >= limit)
            {
                return clientLimit is null ? ConnectionRefusal.AddressFull : ConnectionRefusal.ClientConnLimit;
            }
            _perAddress[address] = count + 1;
            _total++;
            UpdateStress();
            return ConnectionRefusal.None;
        }
    }

    public void Release(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            _total--;
            var count = _perAddress[address] - 1;
            if (count == 0)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = count;
            }
            UpdateStress();
        }
    }

    // Under the lock, so the transitions are told in the order they happen.
    private void UpdateStress()
    {
        var stressed = _underStress ? _total >= _stressEnds : _total >= _stressStarts;
        if (stressed != _underStress)
        {
            _underStress = stressed;
            _stressChanged?.Invoke(stressed, _total);
        }
    }

    // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; count it as a.b.c.d.
    internal static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
