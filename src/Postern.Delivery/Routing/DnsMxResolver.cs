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
/// timeouts as temporary ones.
/// </summary>
public sealed class DnsMxResolver : IMxResolver, IHostResolver
{
    private readonly LookupClient _client;
    private readonly Random _random;
    private readonly bool _preferIPv6;

    /// <param name="options">Servers, timeout and retries.</param>
    /// <param name="random">Shuffles equal MX preferences; tests pass a seeded one.</param>
    public DnsMxResolver(DnsResolverOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = options.Servers.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions([.. options.Servers.Select(s => new NameServer(s))]);
        clientOptions.Timeout = options.QueryTimeout;
        clientOptions.Retries = options.Retries;
        clientOptions.UseCache = options.UseCache;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.UseRandomNameServer = false;
        _client = new LookupClient(clientOptions);
        _random = random ?? Random.Shared;
        _preferIPv6 = options.PreferIPv6;
    }

    public async ValueTask<RelayDestination> ResolveMxAsync(string domain, int port, CancellationToken cancellationToken)
    {
        var name = Normalize(domain);
        var (status, answers) = await QueryAsync(name, QueryType.MX, cancellationToken);
        switch (status)
        {
            case DnsLookup.NoSuchDomain:
                return RelayDestination.Permanent($"domain {name} does not exist (NXDOMAIN)");
            case DnsLookup.Failed:
                return RelayDestination.Temporary($"MX lookup for {name} failed");
        }

        var records = answers.MxRecords().ToList();
        if (records.Count == 0)
        {
            // Implicit MX (RFC 5321 5.1): the domain itself, as if MX 0.
            var implicitHost = await ResolveHostAsync(name, port, cancellationToken);
            return implicitHost.Status == RelayDestinationStatus.PermanentFailure
                ? RelayDestination.Permanent($"domain {name} has no MX and no address records")
                : implicitHost;
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
            var (addresses, failed) = await AddressesAsync(hostName, cancellationToken);
            if (failed)
            {
                temporaryProblems++;
            }
            if (addresses.Count > 0)
            {
                hosts.Add(new RelayHost(hostName, addresses, port));
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
        var (addresses, failed) = await AddressesAsync(name, cancellationToken);
        if (addresses.Count > 0)
        {
            return new RelayDestination(RelayDestinationStatus.Ok, [new RelayHost(name, addresses, port)], OutboundTlsPolicy.May);
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

    /// <summary>A and AAAA; failed is true when either query failed for now (not for NXDOMAIN or no data).</summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, bool Failed)> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var (v4Status, v4Answers) = await QueryAsync(name, QueryType.A, cancellationToken);
        if (v4Status == DnsLookup.NoSuchDomain)
        {
            return ([], false);
        }
        var (v6Status, v6Answers) = await QueryAsync(name, QueryType.AAAA, cancellationToken);
        var v4 = v4Answers.ARecords().Select(r => r.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork);
        var v6 = v6Answers.AaaaRecords().Select(r => r.Address).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        List<IPAddress> addresses = _preferIPv6 ? [.. v6, .. v4] : [.. v4, .. v6];
        return (addresses.Distinct().ToList(), v4Status == DnsLookup.Failed || v6Status == DnsLookup.Failed);
    }

    private async Task<(DnsLookup Status, IReadOnlyList<DnsResourceRecord> Answers)> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException)
        {
            // Timeouts and transport errors after the configured retries.
            return (DnsLookup.Failed, []);
        }
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => (DnsLookup.Answered, response.Answers),
            DnsHeaderResponseCode.NotExistentDomain => (DnsLookup.NoSuchDomain, []),
            _ => (DnsLookup.Failed, []),
        };
    }

    private static bool IsRoot(DnsString exchange) => exchange.Value is "." or "";

    private static string Normalize(string name) =>
        (name.EndsWith('.') ? name[..^1] : name).ToLowerInvariant();
}
