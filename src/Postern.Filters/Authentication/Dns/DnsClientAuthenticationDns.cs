using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Postern.Filters.Authentication.Dns;

/// <summary>
/// <see cref="IAuthenticationDns"/> on DnsClient, configured like the MX resolver: the
/// configured servers (else the system's), a per-query timeout and retries, and answers cached
/// for their TTL. The caller's token carries the deadline of the whole check.
/// </summary>
public sealed class DnsClientAuthenticationDns : IAuthenticationDns
{
    private readonly LookupClient _client;

    public DnsClientAuthenticationDns(AuthenticationDnsOptions options)
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
    }

    public async ValueTask<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken)
    {
        var (status, answers) = await QueryAsync(name, QueryType.TXT, cancellationToken);
        return new DnsAnswer<string>(status, [.. answers.TxtRecords().Select(r => string.Concat(r.Text))]);
    }

    public async ValueTask<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var (status, answers) = await QueryAsync(name, QueryType.A, cancellationToken);
            return new DnsAnswer<IPAddress>(status, [.. answers.ARecords().Select(r => r.Address)]);
        }
        var (v6Status, v6Answers) = await QueryAsync(name, QueryType.AAAA, cancellationToken);
        return new DnsAnswer<IPAddress>(v6Status, [.. v6Answers.AaaaRecords().Select(r => r.Address)]);
    }

    public async ValueTask<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken)
    {
        var (status, answers) = await QueryAsync(name, QueryType.MX, cancellationToken);
        return new DnsAnswer<string>(status, [.. answers.MxRecords().Select(r => Absolute(r.Exchange.Value))]);
    }

    public async ValueTask<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (status, answers) = await QueryAsync(ReverseName.Of(address), QueryType.PTR, cancellationToken);
        return new DnsAnswer<string>(status, [.. answers.PtrRecords().Select(r => Absolute(r.PtrDomainName.Value))]);
    }

    private async Task<(DnsQueryStatus Status, IReadOnlyList<DnsResourceRecord> Answers)> QueryAsync(
        string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException)
        {
            // Timeouts and transport errors after the configured retries.
            return (DnsQueryStatus.Failed, []);
        }
        catch (ArgumentException)
        {
            // A name DnsClient cannot encode (a label over 63 octets): no such name can exist.
            return (DnsQueryStatus.NoSuchDomain, []);
        }
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => (DnsQueryStatus.Answered, response.Answers),
            DnsHeaderResponseCode.NotExistentDomain => (DnsQueryStatus.NoSuchDomain, []),
            _ => (DnsQueryStatus.Failed, []),
        };
    }

    private static string Absolute(string name) => name.EndsWith('.') ? name[..^1] : name;
}
