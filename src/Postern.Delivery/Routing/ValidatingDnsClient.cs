using DnsClient;

namespace Postern.Delivery.Routing;

/// <summary>
/// DnsClient set up for DNSSEC-aware lookups: every query asks for DNSSEC records (the EDNS DO
/// bit), so a validating resolver (<c>delivery.dns_servers</c>, e.g. unbound) answers with the AD
/// bit when it validated the answer. Postern does not validate signatures itself: like Postfix
/// (<c>smtp_dns_support_level = dnssec</c>) it trusts the AD bit of the resolver it is told to use,
/// which must therefore be local or reached over a trusted path. When the start-up probe finds that
/// the resolver sets AD on data that cannot validate, <see cref="DistrustAuthenticatedData"/> turns
/// every answer insecure, so DANE stays off rather than trusting a resolver that does not check.
/// </summary>
public sealed class ValidatingDnsClient
{
    private readonly LookupClient _client;
    private volatile bool _distrusted;

    public ValidatingDnsClient(DnsResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var clientOptions = options.Servers.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions([.. options.Servers.Select(s => new NameServer(s))]);
        clientOptions.Timeout = options.QueryTimeout;
        clientOptions.Retries = options.Retries;
        clientOptions.UseCache = options.UseCache;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.UseRandomNameServer = false;
        clientOptions.RequestDnsSecRecords = true;
        _client = new LookupClient(clientOptions);
    }

    public DnsResolverOptions Options { get; }

    /// <summary>False once the resolver was found to set AD without validating.</summary>
    public bool TrustsAuthenticatedData => !_distrusted;

    /// <summary>From now on no answer counts as DNSSEC-validated.</summary>
    public void DistrustAuthenticatedData() => _distrusted = true;

    internal async Task<DnsAnswer> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException)
        {
            // Timeouts and transport errors after the configured retries.
            return DnsAnswer.Failed;
        }
        var authenticated = response.Header.IsAuthenticData && !_distrusted;
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError => new DnsAnswer(DnsLookup.Answered, response.Answers, authenticated),
            DnsHeaderResponseCode.NotExistentDomain => new DnsAnswer(DnsLookup.NoSuchDomain, [], authenticated),
            _ => DnsAnswer.Failed,
        };
    }
}
