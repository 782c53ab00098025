using System.Net;
using DnsClient;

namespace Postern.EndToEnd.Fixtures.Dnssec;

/// <summary>One answer from a resolver as a DNSSEC-aware client sees it: the response code, the AD bit and the answer records' text.</summary>
public sealed record DnsAnswer(DnsHeaderResponseCode Code, bool Authenticated, IReadOnlyList<string> Records)
{
    /// <summary>Asks <paramref name="server"/> (IP:port) for <paramref name="name"/> with the DO bit set, no cache, bounded.</summary>
    public static async Task<DnsAnswer> QueryAsync(string server, string name, QueryType type)
    {
        var options = new LookupClientOptions(new NameServer(IPEndPoint.Parse(server)))
        {
            RequestDnsSecRecords = true,
            UseCache = false,
            ThrowDnsErrors = false,
            Timeout = TimeSpan.FromSeconds(5),
            Retries = 1,
            UseTcpFallback = true,
        };
        var response = await new LookupClient(options).QueryAsync(name, type);
        return new DnsAnswer(response.Header.ResponseCode, response.Header.IsAuthenticData,
            [.. response.Answers.Where(r => r.RecordType == (DnsClient.Protocol.ResourceRecordType)type).Select(r => r.ToString())]);
    }
}
