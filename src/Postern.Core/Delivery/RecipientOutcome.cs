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
    string Relay);
