namespace Postern.Protocol.Proxy;

/// <summary>What a PROXY header says about the connection.</summary>
public enum ProxyCommand
{
    /// <summary>
    /// The proxy speaks for itself (a v2 LOCAL command, a health check): the connection's own
    /// addresses stand.
    /// </summary>
    Local,

    /// <summary>The connection is relayed for a client; the header may carry its addresses.</summary>
    Proxy,
}

/// <summary>The address family a PROXY header names for the relayed connection.</summary>
public enum ProxyAddressFamily
{
    /// <summary>v1 UNKNOWN or v2 AF_UNSPEC: no addresses; the connection's own addresses stand.</summary>
    Unspecified,

    /// <summary>v1 TCP4 or v2 AF_INET over a stream.</summary>
    Inet,

    /// <summary>v1 TCP6 or v2 AF_INET6 over a stream.</summary>
    Inet6,

    /// <summary>v2 AF_UNIX: socket paths, not network addresses; the connection's own addresses stand.</summary>
    Unix,
}
