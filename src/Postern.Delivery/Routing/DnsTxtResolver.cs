using DnsClient;

namespace Postern.Delivery.Routing;

/// <summary>TXT lookups with DnsClient over <c>delivery.dns_servers</c> (or the system's resolvers).</summary>
public sealed class DnsTxtResolver : ITxtResolver
{
    private readonly LookupClient _client;

    public DnsTxtResolver(DnsResolverOptions options)
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

    public async ValueTask<TxtAnswer> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException)
        {
            return TxtAnswer.Failed;
        }
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                // A record's character-strings form one text (RFC 8461 3.1, RFC 8460 3).
                var records = response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
                return records.Count == 0 ? TxtAnswer.NotFound : new TxtAnswer(TxtAnswerStatus.Found, records);
            case DnsHeaderResponseCode.NotExistentDomain:
                return TxtAnswer.NotFound;
            default:
                return TxtAnswer.Failed;
        }
    }
}
