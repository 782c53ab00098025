namespace Postern.Server.Connections;

/// <summary>What a client did during the greet pause.</summary>
internal enum PreGreeting
{
    /// <summary>Waited for the greeting, as RFC 5321 asks.</summary>
    Silent,

    /// <summary>Sent bytes before the greeting: an early talker.</summary>
    Talked,

    /// <summary>Closed the connection.</summary>
    Closed,
}
