namespace Postern.Server.Session;

/// <summary>The state a command needs before it may run.</summary>
internal enum CommandGuard
{
    /// <summary>Any time: HELO, EHLO, RSET, NOOP, QUIT, VRFY, HELP.</summary>
    Anytime,

    /// <summary>After HELO/EHLO, outside a transaction: MAIL.</summary>
    Greeted,

    /// <summary>Inside a transaction: RCPT.</summary>
    InTransaction,

    /// <summary>With at least one accepted recipient: DATA.</summary>
    HasRecipients,

    /// <summary>The handler checks state itself because it must consume a chunk first (BDAT) or answers 502 before any state check (ETRN).</summary>
    HandlerChecks,
}
