using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Protocol.Commands;

/// <summary>
/// A parsed RCPT TO argument. <see cref="OriginalRecipient"/> is the ORCPT= value as
/// <c>addr-type;decoded-address</c>, e.g. <c>rfc822;user@example.org</c>.
/// </summary>
public sealed record RcptToCommand(Mailbox Recipient, DsnNotify Notify, string? OriginalRecipient);
