using Postern.Core.Addressing;
using Postern.Core.Queueing;
using Postern.Delivery.Lmtp;

namespace Postern.Delivery.Local;

/// <summary>
/// The local users' mailboxes of one message when <c>local.transport</c> hands them to a mailbox
/// server: every user target of every recipient, after alias expansion, in one LMTP transaction,
/// each asked for once as <c>user@domain</c> (the recipient's domain). Postern reports these deliveries
/// itself, so no DSN request is passed on.
/// </summary>
internal static class MailboxBatch
{
    /// <summary>The results of the user targets, by (recipient position, target); users the directory does not know are left out (they fail as before).</summary>
    public static async ValueTask<Dictionary<(int Recipient, DeliveryTarget Target), TargetResult>> DeliverAsync(
        IMailboxTransport transport,
        QueuedMessage message,
        LocalRecipientDirectory directory,
        IReadOnlyList<(EnvelopeRecipient Recipient, AliasExpansion Expansion)> expanded,
        CancellationToken cancellationToken)
    {
        // A mailbox reached twice (a user named directly and through an alias) is asked for once
        // and both share its reply, as Postfix suppresses duplicate deliveries of one message.
        var keys = new List<((int, DeliveryTarget) Key, int Delivery)>();
        var deliveries = new List<LmtpDelivery>();
        var byMailbox = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < expanded.Count; i++)
        {
            var (recipient, expansion) = expanded[i];
            if (expansion.Status != ExpansionStatus.Ok)
            {
                continue;
            }
            foreach (var target in expansion.Targets.Where(t => t.Kind == DeliveryTargetKind.Mailbox && directory.IsUser(t.Value)))
            {
                var mailbox = Mailbox(target, recipient.Address);
                if (!byMailbox.TryGetValue(mailbox, out var index))
                {
                    index = deliveries.Count;
                    byMailbox[mailbox] = index;
                    deliveries.Add(new LmtpDelivery(recipient, mailbox));
                }
                keys.Add(((i, target), index));
            }
        }
        var results = new Dictionary<(int, DeliveryTarget), TargetResult>();
        if (deliveries.Count == 0)
        {
            return results;
        }
        var outcomes = await transport.DeliverAsync(message, deliveries, passDsn: false, cancellationToken);
        foreach (var (key, index) in keys)
        {
            results[key] = new TargetResult(key.Item2, outcomes[index].Status, outcomes[index].Reply);
        }
        return results;
    }

    private static string Mailbox(DeliveryTarget target, Mailbox recipient) =>
        LocalPartSyntax.Encode(target.Value) + "@" + recipient.Domain.TrimEnd('.').ToLowerInvariant();
}
