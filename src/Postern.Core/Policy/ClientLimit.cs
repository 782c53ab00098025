namespace Postern.Core.Policy;

/// <summary>One per-client limit and where it was set (<c>ClientRate:10.1 at /etc/mail/access:4</c>), for the mail log.</summary>
/// <param name="Value">Connections per minute, concurrent connections, or milliseconds of greet pause; 0: no limit (no pause).</param>
/// <param name="Origin">The entry that set it, as the administrator reads it.</param>
public readonly record struct ClientLimit(int Value, string Origin);
