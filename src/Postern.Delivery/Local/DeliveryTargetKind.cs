namespace Postern.Delivery.Local;

/// <summary>Where an expanded recipient finally goes.</summary>
public enum DeliveryTargetKind
{
    /// <summary>A local user's Maildir; Value is the lowercased user name.</summary>
    Mailbox,

    /// <summary>An address in another domain; Value is <c>user@domain</c>.</summary>
    Forward,

    /// <summary>A command run with the message on stdin; Value is the command.</summary>
    Pipe,

    /// <summary>A file the message is appended to in mbox format; Value is the path.</summary>
    File,
}
