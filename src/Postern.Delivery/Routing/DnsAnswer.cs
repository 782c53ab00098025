using DnsClient.Protocol;

namespace Postern.Delivery.Routing;

/// <summary>
/// One DNS query's result: how it ended, its answer records, and whether the resolver vouched
/// for them (the AD bit of a validating resolver, RFC 4035 3.2.3; for NXDOMAIN and NODATA it
/// covers the proof of non-existence).
/// </summary>
internal readonly record struct DnsAnswer(DnsLookup Status, IReadOnlyList<DnsResourceRecord> Answers, bool Authenticated)
{
    public static DnsAnswer Failed { get; } = new(DnsLookup.Failed, [], false);
}
