using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Postern.Delivery.Relay;

namespace Postern.Delivery.Routing;

/// <summary>
/// MX resolution with DnsClient (RFC 5321 section 5.1): MX hosts by preference with equal
/// preferences shuffled, A/AAAA of each (IPv4 first unless configured), hosts without addresses
/// skipped, implicit MX, null MX (RFC 7505) and NXDOMAIN as permanent failures, SERVFAIL and
/// timeouts as temporary ones. Each host is marked <see cref="RelayHost.DnssecSecure"/> when the
/// resolver validated the MX answer (when there was one) and both address answers (RFC 7672 2.2).
/// </summary>
public sealed class DnsMxResolver : IMxResolver, IHostResolver
{
    private readonly ValidatingDnsClient _client;
    private readonly Random _random;
    private readonly bool _preferIPv6;

    /// <param name="options">Servers, timeout and retries.</param>
    /// <param name="random">Shuffles equal MX preferences; tests pass a seeded one.</param>
    public DnsMxResolver(DnsResolverOptions options, Random? random = null)
        : this(new ValidatingDnsClient(options), random)
    {
    }

    /// <param name="client">The DNSSEC-aware client, shared with the TLSA lookups.</param>
    /// <param name="random">Shuffles equal MX preferences; tests pass a seeded one.</param>
    public DnsMxResolver(ValidatingDnsClient client, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _random = random ?? Random.Shared;
        _preferIPv6 = client.Options.PreferIPv6;
    }

    public async ValueTask<RelayDestination> ResolveMxAsync(string domain, int port, CancellationToken cancellationToken)
    {
        var name = Normalize(domain);
        var mx = await _client.QueryAsync(name, QueryType.MX, cancellationToken);
        switch (mx.Status)
        {
            case DnsLookup.NoSuchDomain:
                return RelayDestination.Permanent($"domain {name} does not exist (NXDOMAIN)");
            case DnsLookup.Failed:
                return RelayDestination.Temporary($"MX lookup for {name} failed");
        }

        var records = mx.Answers.MxRecords().ToList();
        if (records.Count == 0)
        {
            // Implicit MX (RFC 5321 5.1): the domain itself, as if MX 0; secure only if the MX denial was.
            var implicitHost = await ResolveHostAsync(name, port, cancellationToken);
            return implicitHost.Status == RelayDestinationStatus.PermanentFailure
                ? RelayDestination.Permanent($"domain {name} has no MX and no address records")
                : implicitHost with { Hosts = [.. implicitHost.Hosts.Select(h => h with { DnssecSecure = h.DnssecSecure && mx.Authenticated })] };
        }
        if (records.Count == 1 && IsRoot(records[0].Exchange))
        {
            return RelayDestination.NullMx(name);
        }

        var hosts = new List<RelayHost>();
        var temporaryProblems = 0;
        foreach (var record in Order(records.Where(r => !IsRoot(r.Exchange))))
        {
            var hostName = Normalize(record.Exchange.Value);
            var (addresses, failed, secure) = await AddressesAsync(hostName, cancellationToken);
            if (failed)
            {
                temporaryProblems++;
            }
            if (addresses.Count > 0)
            {
                hosts.Add(new RelayHost(hostName, addresses, port) { DnssecSecure = secure && mx.Authenticated });
            }
        }
        if (hosts.Count > 0)
        {
            return new RelayDestination(RelayDestinationStatus.Ok, hosts, OutboundTlsPolicy.May);
        }
        return temporaryProblems > 0
            ? RelayDestination.Temporary($"address lookup failed for the MX hosts of {name}")
            : RelayDestination.Permanent($"no MX host of {name} has an address");
    }

    /// <summary>The A and AAAA records of <paramref name="host"/> from DNS alone (not /etc/hosts).</summary>
    public async ValueTask<RelayDestination> ResolveHostAsync(string host, int port, CancellationToken cancellationToken)
    {
        var name = Normalize(host);
        var (addresses, failed, secure) = await AddressesAsync(name, cancellationToken);
        if (addresses.Count > 0)
        {
            return new RelayDestination(RelayDestinationStatus.Ok, [new RelayHost(name, addresses, port) { DnssecSecure = secure }], OutboundTlsPolicy.May);
        }
        return failed
            ? RelayDestination.Temporary($"address lookup for {name} failed")
            : RelayDestination.Permanent($"host {name} has no address records");
    }

    // Sorted by preference; hosts of equal preference in random order (RFC 5321 5.1) to spread load.
    private List<MxRecord> Order(IEnumerable<MxRecord> records)
    {
        var ordered = new List<MxRecord>();
        foreach (var group in records.GroupBy(r => r.Preference).OrderBy(g => g.Key))
        {
            var items = group.ToArray();
            _random.Shuffle(items);
            ordered.AddRange(items);
        }
        return ordered;
    }

    /// <summary>
    /// A and AAAA; failed is true when either query failed for now (not for NXDOMAIN or no data);
    /// secure when every answer used was validated.
    /// </summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, bool Failed, bool Secure)> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var v4Answer = await _client.QueryAsync(name, QueryType.A, cancellationToken);
        if (v4Answer.Status == DnsLookup.NoSuchDomain)
        {
            return ([], false, v4Answer.Authenticated);
        }
        var v6Answer = await _client.QueryAsync(name, QueryType.AAAA, cancellationToken);
        var v4 = v4Answer.Answers.ARecords().Select(r => r.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork);
        var v6 = v6Answer.Answers.AaaaRecords().Select(r => r.Address).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        List<IPAddress> addresses = _preferIPv6 ? [.. v6, .. v4] : [.. v4, .. v6];
        var failed = v4Answer.Status == DnsLookup.Failed || v6Answer.Status == DnsLookup.Failed;
        return (addresses.Distinct().ToList(), failed, !failed && v4Answer.Authenticated && v6Answer.Authenticated);
    }

    private static bool IsRoot(DnsString exchange) => exchange.Value is "." or "";

    private static string Normalize(string name) =>
        (name.EndsWith('.') ? name[..^1] : name).ToLowerInvariant();
}
