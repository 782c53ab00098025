using Postern.Core.Queueing;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// One recipient for the LMTP server: the envelope recipient the outcome is for, and the mailbox
/// the server is asked for in RCPT TO (the recipient's address, a virtual map's mailbox name, or a
/// local user's address after alias expansion).
/// </summary>
public readonly record struct LmtpDelivery(EnvelopeRecipient Recipient, string Mailbox);
