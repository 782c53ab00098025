namespace Postern.Core.Policy;

/// <summary>
/// The connection limits that apply to one client address, as sendmail's access map sets them;
/// null where nothing is set for the client (the server's own limits apply).
/// </summary>
/// <param name="ConnectionsPerMinute">New connections per minute (<c>ClientRate:</c>).</param>
/// <param name="Connections">Concurrent connections (<c>ClientConn:</c>).</param>
/// <param name="GreetPause">Milliseconds to wait before the greeting; a client that talks first is refused (<c>GreetPause:</c>).</param>
public sealed record ClientLimits(ClientLimit? ConnectionsPerMinute, ClientLimit? Connections, ClientLimit? GreetPause)
{
    public static ClientLimits None { get; } = new(null, null, null);
}
