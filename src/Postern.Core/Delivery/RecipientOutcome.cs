using Postern.Core.Queueing;
using Postern.Core.Smtp;

namespace Postern.Core.Delivery;

/// <summary>
/// What happened to one recipient: the status, the reply that explains it (for the log and a DSN),
/// the mailer (local, smtp, ...) and the relay or mailbox it went to.
/// </summary>
public sealed record RecipientOutcome(
    EnvelopeRecipient Recipient,
    DeliveryStatus Status,
    SmtpReply Reply,
    string Mailer,
    string Relay)
{
    /// <summary>
    /// Delivered to a next hop that does not offer DSN, so the DSN request ends here: a SUCCESS
    /// notice must say "relayed" (RFC 3461 section 6.2.1).
    /// </summary>
    public bool NextHopLacksDsn { get; init; }
}
