using System.Net;
using Postern.Core.Policy;

namespace Postern.Tests.Server;

/// <summary>The same per-client limits for every address.</summary>
internal sealed class FixedClientLimits(ClientLimit? ConnectionsPerMinute = null, ClientLimit? Connections = null, ClientLimit? GreetPause = null) : IClientLimits
{
    public ClientLimits Lookup(IPAddress address) => new(ConnectionsPerMinute, Connections, GreetPause);
}
