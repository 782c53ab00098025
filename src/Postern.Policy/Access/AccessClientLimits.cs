using System.Net;
using Postern.Core.Policy;

namespace Postern.Policy.Access;

/// <summary>
/// The per-client connection limits of the access map as it is now (it reloads, or it is a table):
/// <c>ClientRate:</c>, <c>ClientConn:</c> and <c>GreetPause:</c>, each looked up by the client's
/// address, its prefixes, then the empty key (sendmail's default for every client).
/// </summary>
public sealed class AccessClientLimits : IClientLimits
{
    private readonly AccessMapSource _source;

    public AccessClientLimits(Func<AccessMap> accessMap)
        : this(AccessMapSource.File(accessMap))
    {
    }

    public AccessClientLimits(AccessMapSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>The limits, waiting for a table's answer when the map is one (prefer <see cref="LookupAsync"/>).</summary>
    public ClientLimits Lookup(IPAddress address) => Synchronously.Wait(LookupAsync(address, CancellationToken.None));

    /// <exception cref="Core.Maps.LookupTableUnavailableException">The table cannot answer now.</exception>
    public async ValueTask<ClientLimits> LookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var map = await _source.ViewAsync(AccessNeeds.ClientLimits, new AccessQuery(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address), cancellationToken);
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
