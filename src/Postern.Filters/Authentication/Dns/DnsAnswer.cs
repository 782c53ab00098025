namespace Postern.Filters.Authentication.Dns;

/// <summary>The answer to one DNS query: how it ended and the records of the type asked for.</summary>
public sealed record DnsAnswer<T>(DnsQueryStatus Status, IReadOnlyList<T> Records)
{
    /// <summary>A "void lookup" in RFC 7208's sense (section 4.6.4): no such name, or no records of the type.</summary>
    public bool IsVoid => Status != DnsQueryStatus.Failed && Records.Count == 0;
}
