using System.Net;

namespace Postern.Server.Listening;

/// <summary>Counts open connections globally and per client address; thread-safe.</summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

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

    /// <summary>Takes a slot, or returns why not. Release with <see cref="Release"/>.</summary>
    public string? TryAcquire(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (_total >= maxConnections)
            {
                return "too many connections";
            }
            _perAddress.TryGetValue(address, out var count);
            if (count >= maxPerAddress)
            {
                return "too many connections from this address";
            }
            _perAddress[address] = count + 1;
            _total++;
            return null;
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
        }
    }

    // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; count it as a.b.c.d.
    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
