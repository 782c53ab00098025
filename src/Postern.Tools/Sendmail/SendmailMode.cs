namespace Postern.Tools.Sendmail;

/// <summary>What one sendmail invocation does (its <c>-b</c> mode, or the personality's default).</summary>
public enum SendmailMode
{
    /// <summary><c>-bm</c> (the default): read a message from stdin and queue it.</summary>
    Submit,

    /// <summary><c>-bs</c>: an SMTP session on stdin/stdout.</summary>
    SmtpSession,

    /// <summary><c>-bp</c>, <c>mailq</c>: list the queue.</summary>
    ListQueue,

    /// <summary><c>-q</c>: process the queue now.</summary>
    ProcessQueue,

    /// <summary><c>-bv</c>: verify addresses and show where they would go.</summary>
    Verify,

    /// <summary><c>-bt</c>: address and policy test mode.</summary>
    AddressTest,

    /// <summary><c>-bd</c>, <c>-bD</c>: run the daemon (<c>postern serve</c>).</summary>
    Daemon,

    /// <summary><c>-bi</c>, <c>-I</c>, <c>newaliases</c>: validate and reload the aliases file.</summary>
    NewAliases,
}
