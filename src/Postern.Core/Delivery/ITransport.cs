using Postern.Core.Queueing;

namespace Postern.Core.Delivery;

/// <summary>Delivers a queued message to some of its recipients (local Maildir, SMTP relay...).</summary>
public interface ITransport
{
    /// <summary>
    /// Delivers <paramref name="message"/> to <paramref name="recipients"/> (some or all of its
    /// envelope's, each with its position there) and returns one outcome per recipient, in the same
    /// order, each for that <see cref="DeliveryRecipient.Recipient"/>. Expected failures are
    /// outcomes, not exceptions.
    /// </summary>
    ValueTask<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueuedMessage message,
        IReadOnlyList<DeliveryRecipient> recipients,
        CancellationToken cancellationToken);
}
