using System.Net;

namespace Postern.Delivery.Relay;

/// <summary>One host to try, in order: its name (for SNI, certificate checks and the log), addresses and port.</summary>
public sealed record RelayHost(string Name, IReadOnlyList<IPAddress> Addresses, int Port)
{
    /// <summary>
    /// True when DNSSEC validated every answer that led here (the MX lookup, when there was one,
    /// and the host's address lookups): only then may its TLSA records apply (RFC 7672 2.2).
    /// </summary>
    public bool DnssecSecure { get; init; }
}
