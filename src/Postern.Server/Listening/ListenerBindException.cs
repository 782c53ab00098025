namespace Postern.Server.Listening;

/// <summary>
/// A listener could not bind its address: the message names the listener and the address, e.g.
/// <c>listener mta (127.0.0.1:25): address already in use</c>. An <see cref="IOException"/>, so
/// <c>serve</c> answers it as an operating-system error (exit 71).
/// </summary>
public sealed class ListenerBindException(string message, Exception inner) : IOException(message, inner);
