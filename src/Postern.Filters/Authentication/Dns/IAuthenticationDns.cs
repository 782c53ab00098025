using System.Net;
using System.Net.Sockets;

namespace Postern.Filters.Authentication.Dns;

/// <summary>
/// The DNS queries SPF, DKIM and DMARC make. The daemon asks real name servers through DnsClient
/// (<see cref="DnsClientAuthenticationDns"/>); tests answer from in-memory zones. Names are
/// absolute domain names without the trailing dot. Failures are answers
/// (<see cref="DnsQueryStatus.Failed"/>), not exceptions; cancellation throws.
/// </summary>
public interface IAuthenticationDns
{
    /// <summary>TXT records of <paramref name="name"/>, each with its character-strings joined (RFC 7208 section 3.3).</summary>
    ValueTask<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>A (<see cref="AddressFamily.InterNetwork"/>) or AAAA records of <paramref name="name"/>.</summary>
    ValueTask<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken cancellationToken);

    /// <summary>The exchange host names of the MX records of <paramref name="name"/>, in the order received.</summary>
    ValueTask<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellationToken);

    /// <summary>The PTR names of <paramref name="address"/> (in-addr.arpa or ip6.arpa).</summary>
    ValueTask<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellationToken);
}
