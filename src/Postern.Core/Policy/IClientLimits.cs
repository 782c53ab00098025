using System.Net;

namespace Postern.Core.Policy;

/// <summary>Looks up the per-client connection limits when a client connects (the access map's <c>ClientRate:</c>, <c>ClientConn:</c>, <c>GreetPause:</c>).</summary>
public interface IClientLimits
{
    ClientLimits Lookup(IPAddress address);
}
