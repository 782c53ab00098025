using System.Net;
using System.Net.Sockets;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>
/// The addresses of a bracketed next hop as the system looks host names up (getaddrinfo, in the
/// order /etc/nsswitch.conf gives: normally /etc/hosts, then DNS), as sendmail resolves
/// <c>[host]</c>. A smart host or route target named only in /etc/hosts is common; DNS alone would
/// call it unknown. MX lookups, and the addresses of MX hosts, stay with DNS (Postfix's default
/// <c>smtp_host_lookup = dns</c>). The lookup is bounded by the DNS resolver's whole budget.
/// </summary>
public sealed class SystemHostResolver : IHostResolver
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _lookup;
    private readonly TimeSpan _deadline;
    private readonly bool _preferIPv6;
    private readonly TimeProvider _clock;

    /// <param name="options">Its timeout and retries bound the lookup; its IPv6 preference orders the addresses.</param>
    /// <param name="clock">Runs the deadline.</param>
    public SystemHostResolver(DnsResolverOptions options, TimeProvider clock)
        : this(options, clock, Dns.GetHostAddressesAsync)
    {
    }

    /// <summary>Test seam: <paramref name="lookup"/> replaces getaddrinfo.</summary>
    internal SystemHostResolver(DnsResolverOptions options, TimeProvider clock, Func<string, CancellationToken, Task<IPAddress[]>> lookup)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(lookup);
        _lookup = lookup;
        _deadline = options.QueryTimeout * (options.Retries + 1);
        _preferIPv6 = options.PreferIPv6;
        _clock = clock;
    }

    public async ValueTask<RelayDestination> ResolveHostAsync(string host, int port, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var name = (host.EndsWith('.') ? host[..^1] : host).ToLowerInvariant();
        using var deadline = new CancellationTokenSource(_deadline, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        IPAddress[] found;
        try
        {
            // WaitAsync too: a resolver that ignores cancellation still cannot hold delivery past the deadline.
            found = await _lookup(name, linked.Token).WaitAsync(_deadline, _clock, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return RelayDestination.Temporary($"address lookup for {name} took longer than {_deadline.TotalSeconds:0} s");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            return RelayDestination.Permanent($"host {name} has no address records ({e.Message})");
        }
        catch (SocketException e)
        {
            return RelayDestination.Temporary($"address lookup for {name} failed: {e.Message}");
        }
        var v4 = found.Where(a => a.AddressFamily == AddressFamily.InterNetwork);
        var v6 = found.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        List<IPAddress> addresses = [.. (_preferIPv6 ? v6.Concat(v4) : v4.Concat(v6)).Distinct()];
        return addresses.Count == 0
            ? RelayDestination.Permanent($"host {name} has no address records")
            : new RelayDestination(RelayDestinationStatus.Ok, [new RelayHost(name, addresses, port)], OutboundTlsPolicy.May);
    }
}
