using Postern.Core.Delivery;
using Postern.Core.Queueing;

namespace Postern.Delivery.Lmtp;

/// <summary>
/// Delivers into mailboxes a server owns (Dovecot over LMTP), each named by the caller rather than
/// taken from the envelope: local users after alias expansion (<c>local.transport</c>).
/// </summary>
public interface IMailboxTransport
{
    /// <summary>One outcome per delivery, in order; expected failures are outcomes.</summary>
    /// <param name="message">The message.</param>
    /// <param name="deliveries">Whom each outcome is for, and the mailbox to ask the server for.</param>
    /// <param name="passDsn">Pass DSN requests on to a server that offers DSN (false: Postern reports the delivery itself).</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<LmtpDelivery> deliveries,
        bool passDsn,
        CancellationToken cancellationToken);
}
