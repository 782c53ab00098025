using System.Net;

namespace Postern.Core.Policy;

/// <summary>Looks up the per-client connection limits when a client connects (the access map's <c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c>).</summary>
public interface IClientLimits
{
    ClientLimits Lookup(IPAddress address);

    /// <summary>
    /// The same lookup when it may need a table (an access map in a database).
    /// </summary>
    /// <exception cref="Maps.LookupTableUnavailableException">The table cannot answer now: the connection is refused with 421 4.3.0.</exception>
    ValueTask<ClientLimits> LookupAsync(IPAddress address, CancellationToken cancellationToken) => ValueTask.FromResult(Lookup(address));
}
