using System.Net;
using Postern.Core.Policy;

namespace Postern.Policy.Access;

/// <summary>
/// The per-client connection limits of the access map as it is now (it reloads): <c>ClientRate:</c>,
/// <c>ClientConn:</c> and <c>GreetPause:</c>, each looked up by the client's address, its prefixes,
/// then the empty key (sendmail's default for every client).
/// </summary>
public sealed class AccessClientLimits(Func<AccessMap> accessMap) : IClientLimits
{
    public ClientLimits Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var map = accessMap();
        if (!map.HasClientLimits)
        {
            return ClientLimits.None;
        }
        return new ClientLimits(Limit(map, AccessTag.ClientRate, address), Limit(map, AccessTag.ClientConn, address), Limit(map, AccessTag.GreetPause, address));
    }

    private static ClientLimit? Limit(AccessMap map, AccessTag tag, IPAddress address) =>
        map.LookupPerClient(tag, address) is { Limit: { } value } entry
            ? new ClientLimit(value, entry.Describe() + " at " + map.Where(entry))
            : null;
}
