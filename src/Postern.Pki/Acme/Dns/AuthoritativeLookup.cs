using System.Net;
using DnsClient;

namespace Postern.Pki.Acme.Dns;

/// <summary>
/// Plain queries to the update server itself (DnsClient, no recursion, no cache): which zone holds
/// a name (its SOA), and whether a TXT value is served yet. Asking the primary rather than a
/// resolver is what lego and certbot's rfc2136 plugins do: it is the server that took the update.
/// </summary>
internal sealed class AuthoritativeLookup
{
    private readonly LookupClient _client;
    private readonly IPEndPoint _server;
    private readonly TimeProvider _time;
    private static readonly TimeSpan QueryDeadline = TimeSpan.FromSeconds(10);

    public AuthoritativeLookup(IPEndPoint server, TimeProvider time)
    {
        _server = server;
        _time = time;
        _client = new LookupClient(new LookupClientOptions(new NameServer(server))
        {
            Recursion = false,
            UseCache = false,
            Timeout = TimeSpan.FromSeconds(3),
            Retries = 1,
            ThrowDnsErrors = false,
            UseTcpFallback = true,
            UseRandomNameServer = false,
        });
    }

    /// <summary>
    /// The zone that holds <paramref name="name"/>: the SOA owner the server names in its answer or
    /// authority section, asking one label up while it refuses (it is not authoritative there).
    /// </summary>
    public async Task<string> FindZoneAsync(string name, CancellationToken cancellationToken)
    {
        for (var candidate = name.TrimEnd('.'); candidate is not null; candidate = DnsName.Parent(candidate))
        {
            var response = await QueryAsync(candidate, QueryType.SOA, cancellationToken);
            var soa = response.Answers.SoaRecords().Concat(response.Authorities.SoaRecords())
                .Select(r => r.DomainName.Value.TrimEnd('.'))
                .FirstOrDefault(owner => DnsName.IsAtOrBelow(name, owner));
            if (soa is not null && response.Header.ResponseCode is DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain)
            {
                return soa;
            }
        }
        throw new DnsUpdateException($"{_server} is authoritative for no zone that holds {name} (set acme.dns_zone?)");
    }

    /// <summary>Whether the server answers <paramref name="owner"/> TXT with <paramref name="text"/> among the values.</summary>
    public async Task<bool> ServesTxtAsync(string owner, string text, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(owner, QueryType.TXT, cancellationToken);
        return response.Answers.TxtRecords().Any(r => string.Concat(r.Text) == text);
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(QueryDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await _client.QueryAsync(name, type, QueryClass.IN, linked.Token);
        }
        catch (DnsResponseException e)
        {
            throw new DnsUpdateException($"no answer from {_server} to {name} {type}: {e.Message}", e);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DnsUpdateException($"no answer from {_server} to {name} {type} within {QueryDeadline.TotalSeconds:0} s");
        }
    }
}
