using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>
/// A parsed RCPT TO argument. <see cref="OriginalRecipient"/> is the ORCPT= value as
/// <c>addr-type;decoded-address</c>, e.g. <c>rfc822;user@example.org</c>.
/// </summary>
public sealed record RcptToCommand(Mailbox Recipient, DsnNotify Notify, string? OriginalRecipient)
{
    /// <summary>
    /// The ESMTP parameters as the client sent them (<c>NOTIFY=FAILURE</c>), one space between them, empty
    /// when none: the stage handlers get them so (milters pass them on). A string, so the record
    /// keeps its value equality.
    /// </summary>
    public string Parameters { get; init; } = "";

    /// <summary><see cref="Parameters"/> word by word.</summary>
    public IReadOnlyList<string> ParameterList => Parameters.Length == 0 ? [] : Parameters.Split(' ');
}
