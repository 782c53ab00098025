using DnsClient;

namespace Postern.Delivery.Routing;

/// <summary>TXT lookups over <c>delivery.dns_servers</c> (or the system's resolvers), through the delivery's DNS client.</summary>
public sealed class DnsTxtResolver : ITxtResolver
{
    private readonly ValidatingDnsClient _client;

    public DnsTxtResolver(DnsResolverOptions options)
        : this(new ValidatingDnsClient(options))
    {
    }

    public DnsTxtResolver(ValidatingDnsClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    public async ValueTask<TxtAnswer> LookupTxtAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var answer = await _client.QueryAsync(name, QueryType.TXT, cancellationToken);
        switch (answer.Status)
        {
            case DnsLookup.Answered:
                // A record's character-strings form one text (RFC 8461 3.1, RFC 8460 3).
                var records = answer.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
                return records.Count == 0 ? TxtAnswer.NotFound : new TxtAnswer(TxtAnswerStatus.Found, records);
            case DnsLookup.NoSuchDomain:
                return TxtAnswer.NotFound;
            default:
                return TxtAnswer.Failed;
        }
    }
}
