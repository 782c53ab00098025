namespace Postern.Queue.Dsn;

/// <summary>The RFC 3464 Action field of a per-recipient DSN group.</summary>
public enum DsnAction
{
    Failed,
    Delayed,
    Delivered,
    Relayed,
    Expanded,
}
