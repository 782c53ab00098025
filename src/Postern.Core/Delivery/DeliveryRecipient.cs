using Postern.Core.Addressing;
using Postern.Core.Queueing;

namespace Postern.Core.Delivery;

/// <summary>
/// One recipient a transport is asked to deliver to: the envelope recipient and its position in
/// the message's envelope. The position is the recipient's identity across attempts (the journal
/// records outcomes by it; local delivery names Maildir files after it, so a redelivery replaces
/// rather than duplicates).
/// </summary>
/// <param name="Index">The position in <see cref="Envelope.Recipients"/>.</param>
/// <param name="Recipient">The envelope recipient at that position.</param>
public readonly record struct DeliveryRecipient(int Index, EnvelopeRecipient Recipient)
{
    public Mailbox Address => Recipient.Address;

    /// <summary>Every recipient of <paramref name="envelope"/>, in order.</summary>
    public static IReadOnlyList<DeliveryRecipient> AllOf(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var all = new DeliveryRecipient[envelope.Recipients.Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = new DeliveryRecipient(i, envelope.Recipients[i]);
        }
        return all;
    }
}
