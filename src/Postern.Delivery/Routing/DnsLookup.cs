namespace Postern.Delivery.Routing;

/// <summary>How one DNS query ended: answered (maybe empty), no such domain, or failed for now.</summary>
internal enum DnsLookup
{
    Answered,
    NoSuchDomain,
    Failed,
}
