using Postern.Core.Addressing;
using Postern.Core.Policy;

namespace Postern.Milter.Client;

/// <summary>What macro values are made of at one step: the session, and the transaction so far.</summary>
internal sealed record MilterMacroContext(SessionFacts Session, string HostName)
{
    /// <summary>The MAIL command was given (<see cref="Sender"/> is null for <c>&lt;&gt;</c>).</summary>
    public bool HasMail { get; init; }

    public Mailbox? Sender { get; init; }

    /// <summary>MAIL's ESMTP parameters as sent (AUTH= gives {auth_author}).</summary>
    public IReadOnlyList<string> MailParameters { get; init; } = [];

    /// <summary>The recipient of the RCPT being sent.</summary>
    public Mailbox? Recipient { get; init; }

    /// <summary>The Message-ID header's value, at end of message.</summary>
    public string? MessageId { get; init; }
}
