namespace Postern.Server.Listening;

/// <summary>Why a new connection gets no session.</summary>
internal enum ConnectionRefusal
{
    None,

    /// <summary>Every slot of the server is taken (<c>max_connections</c>).</summary>
    ServerFull,

    /// <summary>The client address has <c>max_connections_per_ip</c> sessions open.</summary>
    AddressFull,

    /// <summary>The client has as many sessions open as its access-map <c>ClientConn:</c> allows.</summary>
    ClientConnLimit,
}
