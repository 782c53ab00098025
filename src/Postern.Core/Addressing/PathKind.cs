namespace Postern.Core.Addressing;

/// <summary>Which SMTP path is being parsed: MAIL FROM's reverse path or RCPT TO's forward path.</summary>
public enum PathKind
{
    /// <summary>MAIL FROM: the null path <c>&lt;&gt;</c> is allowed.</summary>
    Reverse,

    /// <summary>RCPT TO: <c>&lt;Postmaster&gt;</c> without a domain is allowed.</summary>
    Forward,
}
