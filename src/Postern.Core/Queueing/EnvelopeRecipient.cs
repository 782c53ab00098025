using Postern.Core.Addressing;

namespace Postern.Core.Queueing;

/// <summary>
/// One RCPT TO: the mailbox, its DSN NOTIFY flags and the ORCPT parameter as given
/// (<c>rfc822;user@example.org</c>, xtext already decoded), or null.
/// </summary>
public sealed record EnvelopeRecipient(Mailbox Address, DsnNotify Notify = DsnNotify.None, string? OriginalRecipient = null);
