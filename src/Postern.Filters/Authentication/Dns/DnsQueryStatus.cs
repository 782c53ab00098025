namespace Postern.Filters.Authentication.Dns;

/// <summary>How one DNS query ended, as SPF, DKIM and DMARC need to tell the cases apart.</summary>
public enum DnsQueryStatus
{
    /// <summary>NOERROR: the records (maybe none of the type asked for).</summary>
    Answered,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NoSuchDomain,

    /// <summary>SERVFAIL, REFUSED, a timeout or a transport error: the answer is unknown for now.</summary>
    Failed,
}
