namespace Postern.Delivery.Aliases;

/// <summary>What one value on the right of an alias (or in an :include: file) names.</summary>
public enum AliasValueKind
{
    /// <summary>A local name: a user or another alias (<c>bob</c>, or <c>\bob</c> for the user's own mailbox).</summary>
    Local,

    /// <summary>A full address <c>user@domain</c>; local again when the domain is a local one.</summary>
    Address,

    /// <summary><c>:include:/path</c>: more values read from a file at expansion time.</summary>
    Include,

    /// <summary><c>"|command"</c>: the message is piped to the command.</summary>
    Pipe,

    /// <summary><c>/path/file</c>: the message is appended to the file in mbox format.</summary>
    File,
}
