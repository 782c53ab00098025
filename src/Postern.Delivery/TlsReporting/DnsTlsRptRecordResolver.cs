using DnsClient;
using Postern.Core.TlsReporting;
using Postern.Delivery.Routing;

namespace Postern.Delivery.TlsReporting;

/// <summary>
/// The <c>_smtp._tls.DOMAIN</c> TXT lookup of RFC 8460 section 3 with DnsClient, on the same
/// resolvers as delivery (<c>delivery.dns_servers</c>). Each record's character-strings are joined
/// into one string; which of them is a TLS-RPT record is the parser's business.
/// </summary>
public sealed class DnsTlsRptRecordResolver : ITlsRptRecordResolver
{
    private readonly LookupClient _client;

    public DnsTlsRptRecordResolver(DnsResolverOptions options)
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

    public async Task<TlsRptTxtLookup> LookupAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var name = "_smtp._tls." + domain.TrimEnd('.').ToLowerInvariant();
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            return TlsRptTxtLookup.Failed($"TXT lookup for {name} failed: {e.Message}");
        }
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NotExistentDomain:
                return TlsRptTxtLookup.NotFound;
            case DnsHeaderResponseCode.NoError:
                break;
            default:
                return TlsRptTxtLookup.Failed($"TXT lookup for {name} failed: {response.Header.ResponseCode}");
        }
        var records = response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
        return records.Count == 0 ? TlsRptTxtLookup.NotFound : new TlsRptTxtLookup(TlsRptTxtStatus.Found, records);
    }
}
